-- 0012: expiry mail (issue 19). An administrator's e-mail address and the language of their mail
-- (the management site's two languages), and the notices already sent: a certificate is
-- announced to each administrator once per threshold ('90', '30', '7' days, or 'expired'),
-- however often `inkan notify expiring` runs. A row is written only after the relay accepted the
-- message, in the transaction that audits it.
ALTER TABLE admin_users ADD COLUMN email TEXT;
ALTER TABLE admin_users ADD COLUMN language TEXT NOT NULL DEFAULT 'ja' CHECK (language IN ('ja', 'en'));

CREATE TABLE expiry_notices (
  serial    TEXT    NOT NULL REFERENCES certificates (serial),
  threshold TEXT    NOT NULL,
  user_id   INTEGER NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
  sent_at   INTEGER NOT NULL,
  PRIMARY KEY (serial, threshold, user_id)
) STRICT, WITHOUT ROWID;
