-- 0020: tenants that left and administrators deleted (issue 16 item 17). NULL for a tenant in
-- service and a live account: the security-table digest leaves NULLs out, so adding the columns
-- keeps every seal valid.
-- A retired tenant keeps its certificates, history and audit entries; nothing new is issued or
-- renewed for it.
ALTER TABLE tenants ADD COLUMN retired_at INTEGER;
-- A deleted administrator stays as a tombstone row: the audit log names administrators by
-- username and derives their tenant from this table, so the username keeps meaning that account
-- and is never reused. Reads of the store skip the row.
ALTER TABLE admin_users ADD COLUMN deleted_at INTEGER;
