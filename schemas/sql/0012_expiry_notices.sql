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

-- The metrics of `serve` (issue 19) count every tenant at once, every 15 s: certificate_counts
-- holds a row per tenant, state and day (about 80,000 at 1,000,000 certificates), too many to sum
-- within 5 ms. certificate_day_counts is the same without the tenant (a row per state and day, a
-- few thousand), kept by triggers on certificate_counts, which its own triggers fill in the
-- writer's transaction.
CREATE TABLE certificate_day_counts (
  state      TEXT    NOT NULL,
  expiry_day INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (state, expiry_day)
) STRICT, WITHOUT ROWID;

INSERT INTO certificate_day_counts (state, expiry_day, n)
  SELECT state, expiry_day, sum(n) FROM certificate_counts GROUP BY state, expiry_day;

CREATE TRIGGER certificate_day_counts_insert AFTER INSERT ON certificate_counts
BEGIN
  INSERT INTO certificate_day_counts (state, expiry_day, n) VALUES (NEW.state, NEW.expiry_day, NEW.n)
    ON CONFLICT (state, expiry_day) DO UPDATE SET n = n + NEW.n;
END;

CREATE TRIGGER certificate_day_counts_update AFTER UPDATE OF n ON certificate_counts
BEGIN
  UPDATE certificate_day_counts SET n = n + NEW.n - OLD.n
    WHERE state = NEW.state AND expiry_day = NEW.expiry_day;
END;

CREATE TRIGGER certificate_day_counts_delete AFTER DELETE ON certificate_counts
BEGIN
  UPDATE certificate_day_counts SET n = n - OLD.n WHERE state = OLD.state AND expiry_day = OLD.expiry_day;
END;
