-- 0011: each administrator account logs in only with the certificates issued for it (issue 14
-- item 4). A row binds one certificate (by serial) to one account; an account may hold several
-- (renewals, a second device). A certificate bound to an operator is an operator certificate
-- (kind 'operator', issued from the CLI only). Successors inherit their predecessor's binding
-- (the store copies it when it links the successor).
CREATE TABLE admin_certificates (
  serial  TEXT    NOT NULL PRIMARY KEY REFERENCES certificates (serial),
  user_id INTEGER NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE
) STRICT;

CREATE INDEX admin_certificates_user ON admin_certificates (user_id);

-- The one binding an existing installation implies: a tenant-admin certificate whose CN is the
-- username of a tenant administrator of the same tenant (as `inkan demo` makes them). Every other
-- account stays unbound until `inkan user bind-certificate` (doctor names them); operators always
-- need an operator certificate issued with `inkan issue --kind operator --admin NAME`.
INSERT INTO admin_certificates (serial, user_id)
  SELECT c.serial, u.id
  FROM certificates c
  JOIN admin_users u ON u.role = 'tenant-admin' AND u.tenant_id = c.tenant_id AND u.username = c.cn
  WHERE c.kind = 'tenant-admin' AND c.state <> 'reserved';
