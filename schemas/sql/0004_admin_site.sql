-- 0004: the management site (issue 5): administrator accounts, their sessions, the login
-- history, throttle counters, and the indexes the certificate list page needs at 100,000 rows.

CREATE TABLE admin_users (
  id                   INTEGER PRIMARY KEY,
  username             TEXT    NOT NULL UNIQUE,
  tenant_id            TEXT    REFERENCES tenants (id),   -- NULL exactly for operators
  role                 TEXT    NOT NULL CHECK (role IN ('operator', 'tenant-admin')),
  disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  password_hash        TEXT    NOT NULL,                  -- Argon2id PHC string
  created_at           INTEGER NOT NULL,
  password_changed_at  INTEGER NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  CHECK ((role = 'operator') = (tenant_id IS NULL))
) STRICT;

CREATE INDEX admin_users_tenant ON admin_users (tenant_id, username);

-- Only the SHA-256 of the session token is kept: a copy of the database opens no session.
CREATE TABLE admin_sessions (
  id_hash            TEXT    NOT NULL PRIMARY KEY,
  user_id            INTEGER NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
  csrf_token         TEXT    NOT NULL,
  created_at         INTEGER NOT NULL,
  last_seen_at       INTEGER NOT NULL,
  client_cert_sha256 TEXT
) STRICT;

CREATE INDEX admin_sessions_user ON admin_sessions (user_id);

-- Every login attempt. `address` is the socket peer address (never a forwarded header).
CREATE TABLE login_history (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  username    TEXT    NOT NULL,
  user_id     INTEGER REFERENCES admin_users (id),
  tenant_id   TEXT,               -- the account's tenant then; NULL for operators, unknown users
  address     TEXT    NOT NULL,
  cert_serial TEXT,
  result      TEXT    NOT NULL CHECK (result IN ('success', 'wrong-password', 'unknown-user',
                                                  'disabled', 'locked', 'certificate-required',
                                                  'certificate-mismatch'))
) STRICT;

-- The history page (newest first, per tenant) and the hourly failure caps.
CREATE INDEX login_history_tenant_at ON login_history (tenant_id, at);
CREATE INDEX login_history_user_at ON login_history (user_id, at);
CREATE INDEX login_history_address_at ON login_history (address, at);

-- Consecutive failures and the temporary lock, per account (key = user id) and per address.
CREATE TABLE login_throttle (
  scope                TEXT    NOT NULL CHECK (scope IN ('account', 'address')),
  key                  TEXT    NOT NULL,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  locked_until         INTEGER,
  PRIMARY KEY (scope, key)
) STRICT;

-- The certificate list page: counts by state per tenant (covering), search by CN prefix.
-- Listing by tenant in notAfter order uses certificates_tenant_not_after (0001).
CREATE INDEX certificates_tenant_state_not_after ON certificates (tenant_id, state, not_after);
CREATE INDEX certificates_tenant_cn ON certificates (tenant_id, cn);
CREATE INDEX certificates_cn ON certificates (cn);
