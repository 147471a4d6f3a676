-- 0014: each issuing CA's own CRL URL (issue 16 item 1).
--
-- Before, one URL (settings 'ca.crl_url') went into every certificate of every issuing CA, so
-- after a rollover the URL led to the new CA's CRL and the old CA's revocations vanished from
-- it. Now the URL belongs to a CA: cas.crl_url is the one its new certificates name, and
-- ca_crl_urls remembers every URL ever written into its certificates (a URL changed with
-- `inkan ca set --crl-url` still names this CA in the certificates issued before), so the
-- appliance serves, and `inkan crl --all` writes, each CA's CRL under every URL of its own.
-- The primary key is the rule: one URL never leads to two CAs' CRLs.
ALTER TABLE cas ADD COLUMN crl_url TEXT;

CREATE TABLE ca_crl_urls (
  url   TEXT    PRIMARY KEY,
  ca_id INTEGER NOT NULL REFERENCES cas (id)
) STRICT;

-- The installation-wide URL of earlier versions becomes the active issuing CA's. An
-- installation that rolled over before this version has certificates of an older CA naming
-- the same URL; nothing can repair those certificates (docs/operator-guide.md, "CRL URLs").
UPDATE cas SET crl_url = (SELECT value FROM settings WHERE key = 'ca.crl_url' AND value <> '')
  WHERE role = 'issuing' AND active = 1;
INSERT INTO ca_crl_urls (url, ca_id)
  SELECT crl_url, id FROM cas WHERE crl_url IS NOT NULL;
DELETE FROM settings WHERE key = 'ca.crl_url';
