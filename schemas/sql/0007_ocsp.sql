-- 0007: the OCSP responder (issue 20).

-- Delegated responder certificates, one current per CA (the newest notAfter), issued and
-- renewed by `inkan serve` and `inkan ocsp`. The key is PKCS#8 sealed under the data key
-- (AES-256-GCM, bound to the serial), like the stored p12 passwords: the database alone
-- yields no responder key.
CREATE TABLE ocsp_responders (
  id             INTEGER PRIMARY KEY,
  ca_id          INTEGER NOT NULL REFERENCES cas (id),
  serial         TEXT    NOT NULL UNIQUE,  -- uppercase hex, Serial::hex()
  cert_der       BLOB    NOT NULL,
  key_nonce      BLOB    NOT NULL,
  key_ciphertext BLOB    NOT NULL,
  not_before     INTEGER NOT NULL,
  not_after      INTEGER NOT NULL,
  created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX ocsp_responders_by_ca ON ocsp_responders (ca_id, not_after);

-- Every change of a certificate's state (issued, superseded, revoked), in commit order, so a
-- running responder learns of a revocation made by another process (`inkan revoke`) by
-- reading one integer every few hundred milliseconds. Only the newest 10,000 are kept: a
-- reader that fell further behind sees a gap and drops its whole cache.
CREATE TABLE certificate_status_changes (
  seq    INTEGER PRIMARY KEY AUTOINCREMENT,
  serial TEXT    NOT NULL
) STRICT;

CREATE TRIGGER certificates_status_change AFTER UPDATE OF state ON certificates
  WHEN OLD.state IS NOT NEW.state
BEGIN
  INSERT INTO certificate_status_changes (serial) VALUES (NEW.serial);
  DELETE FROM certificate_status_changes
    WHERE seq <= (SELECT max(seq) FROM certificate_status_changes) - 10000;
END;
