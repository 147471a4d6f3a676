-- 0009: TOP's status counts at 1,000,000 certificates under 50 ms (issue 18). Counting the
-- index entries took 371 ms: certificate_counts keeps, per tenant, stored state and day of
-- notAfter (unix days), how many certificates there are, maintained by the triggers below in the
-- writer's transaction. "expired" is derived from notAfter at each read, so a count at time T
-- sums the day buckets before and after T's day and counts T's own day exactly from the index
-- (CertificateQueries::counts). Reservations are not counted.
CREATE TABLE certificate_counts (
  tenant_id  TEXT    NOT NULL,
  state      TEXT    NOT NULL,
  expiry_day INTEGER NOT NULL,  -- not_after / 86400
  n          INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, state, expiry_day)
) STRICT, WITHOUT ROWID;

INSERT INTO certificate_counts (tenant_id, state, expiry_day, n)
  SELECT tenant_id, state, not_after / 86400, count(*) FROM certificates WHERE state <> 'reserved'
  GROUP BY tenant_id, state, not_after / 86400;

CREATE TRIGGER certificate_counts_insert AFTER INSERT ON certificates WHEN NEW.state <> 'reserved'
BEGIN
  INSERT INTO certificate_counts (tenant_id, state, expiry_day, n)
    VALUES (NEW.tenant_id, NEW.state, NEW.not_after / 86400, 1)
    ON CONFLICT (tenant_id, state, expiry_day) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER certificate_counts_delete AFTER DELETE ON certificates WHEN OLD.state <> 'reserved'
BEGIN
  UPDATE certificate_counts SET n = n - 1
    WHERE tenant_id = OLD.tenant_id AND state = OLD.state AND expiry_day = OLD.not_after / 86400;
END;

CREATE TRIGGER certificate_counts_update AFTER UPDATE OF state, tenant_id, not_after ON certificates
BEGIN
  UPDATE certificate_counts SET n = n - 1
    WHERE OLD.state <> 'reserved' AND tenant_id = OLD.tenant_id AND state = OLD.state
      AND expiry_day = OLD.not_after / 86400;
  INSERT INTO certificate_counts (tenant_id, state, expiry_day, n)
    SELECT NEW.tenant_id, NEW.state, NEW.not_after / 86400, 1 WHERE NEW.state <> 'reserved'
    ON CONFLICT (tenant_id, state, expiry_day) DO UPDATE SET n = n + 1;
END;
