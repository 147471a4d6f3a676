-- 0007: reading the audit log (issue 18): `inkan audit` and the management site's 操作履歴 tab
-- filter by time, tenant, object (a serial), actor and action, newest first, at 1,000,000
-- entries (measured by `inkan-bench audit`).
--
-- tenant_id is an index, not part of the hash chain: the store derives it from the chained
-- `object` when it appends (the same CASE as below, in audit_log.cpp), and `verify()` derives it
-- again and reports an entry whose stored tenant differs. NULL for entries of no one tenant
-- (CAs, CRLs, the server certificate, operators' accounts, restores).
ALTER TABLE audit_log ADD COLUMN tenant_id TEXT;

DROP TRIGGER audit_log_no_update;
UPDATE audit_log SET tenant_id = CASE
    WHEN object LIKE 'cert:%' THEN (SELECT tenant_id FROM certificates WHERE serial = substr(object, 6))
    WHEN object LIKE 'tenant:%' THEN substr(object, 8)
    WHEN object LIKE 'admin:%' THEN (SELECT tenant_id FROM admin_users WHERE username = substr(object, 7))
  END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Every page is ordered newest first by (at, seq); seq is the rowid, the implicit last column
-- of each index, so a filtered page is read in order from one index without sorting. The query
-- uses the index of the most selective filter given (object, then actor, tenant, action:
-- audit_log.cpp); the other filter columns follow `at` in that index, so SQLite checks them on
-- the index entry and reads a row only when it matches (a tenant's 50,000 entries searched for a
-- rare action are 50,000 index entries, not 50,000 rows).
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_object_at ON audit_log (object, at);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at, tenant_id, action);
CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at, action, actor);
CREATE INDEX audit_log_action_at ON audit_log (action, at, tenant_id, actor);
