-- 0001: tenants, CAs, certificates with their lineage and credential, settings, audit log.
-- Times are INTEGER unix seconds (UTC) so range queries stay plain comparisons. Enumerations are
-- stored with the canonical spellings of ca/domain/enums.cpp. STRICT tables refuse wrong types.

CREATE TABLE tenants (
  id                  TEXT    NOT NULL PRIMARY KEY,
  name                TEXT    NOT NULL,
  created_at          INTEGER NOT NULL,
  renewal_window_days INTEGER            -- NULL: the installation-wide default applies
) STRICT;

CREATE TABLE cas (
  id                INTEGER PRIMARY KEY,
  role              TEXT    NOT NULL CHECK (role IN ('root', 'issuing')),
  subject           TEXT    NOT NULL,
  cert_der          BLOB    NOT NULL,
  encrypted_key_pem TEXT    NOT NULL DEFAULT '',  -- '' when the key is held elsewhere (offline root)
  key_type          TEXT    NOT NULL,
  not_before        INTEGER NOT NULL,
  not_after         INTEGER NOT NULL,
  active            INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  parent_id         INTEGER REFERENCES cas (id),
  crl_number        INTEGER NOT NULL DEFAULT 0   -- the last CRL number handed out
) STRICT;

-- New certificates are signed by exactly one CA: at most one active CA per role.
CREATE UNIQUE INDEX cas_one_active_per_role ON cas (role) WHERE active = 1;

CREATE TABLE certificates (
  serial              TEXT    NOT NULL PRIMARY KEY,  -- uppercase hex, Serial::hex()
  ca_id               INTEGER NOT NULL REFERENCES cas (id),
  tenant_id           TEXT    NOT NULL REFERENCES tenants (id),
  cn                  TEXT    NOT NULL,
  kind                TEXT    NOT NULL,
  key_type            TEXT    NOT NULL,
  email               TEXT,
  -- "expired" is never stored: it is derived from not_after at each read.
  state               TEXT    NOT NULL
                              CHECK (state IN ('reserved', 'active', 'superseded', 'revoked')),
  requested_at        INTEGER NOT NULL,
  issued_at           INTEGER,           -- NULL while reserved
  not_before          INTEGER NOT NULL,
  not_after           INTEGER NOT NULL,
  sha256              TEXT,              -- lowercase hex of the DER; NULL while reserved
  cert_der            BLOB,              -- NULL while reserved
  -- Lineage for renewal and reissue: old -> new. One certificate has at most one successor.
  predecessor         TEXT    REFERENCES certificates (serial),
  successor           TEXT    REFERENCES certificates (serial),
  revoked_at          INTEGER,
  revocation_reason   INTEGER,           -- RFC 5280 CRLReason code
  notes               TEXT    NOT NULL DEFAULT '',
  -- The credential as delivered: the p12 and its password under the data key (AES-256-GCM).
  -- All NULL for certificates signed from a CSR, whose key we never saw.
  p12                 BLOB,
  p12_profile         TEXT,
  password_nonce      BLOB,
  password_ciphertext BLOB,
  CHECK (state = 'reserved' OR (issued_at IS NOT NULL AND sha256 IS NOT NULL
                                AND cert_der IS NOT NULL)),
  CHECK (state <> 'revoked' OR (revoked_at IS NOT NULL AND revocation_reason IS NOT NULL)),
  CHECK ((p12 IS NULL) = (p12_profile IS NULL)
         AND (p12 IS NULL) = (password_nonce IS NULL)
         AND (p12 IS NULL) = (password_ciphertext IS NULL))
) STRICT;

CREATE INDEX certificates_tenant_not_after ON certificates (tenant_id, not_after);
CREATE INDEX certificates_state ON certificates (state);
CREATE INDEX certificates_not_after ON certificates (not_after);
CREATE UNIQUE INDEX certificates_sha256 ON certificates (sha256);  -- NULLs do not collide
CREATE UNIQUE INDEX certificates_one_successor ON certificates (predecessor);

CREATE TABLE settings (
  key   TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Append-only and hash-chained: hash = SHA-256(prev_hash, seq, at, actor, action, object, detail).
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor     TEXT    NOT NULL,
  action    TEXT    NOT NULL,
  object    TEXT    NOT NULL,
  detail    TEXT    NOT NULL DEFAULT '',
  prev_hash TEXT    NOT NULL,
  hash      TEXT    NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
