-- 0002: CA rollover with an offline root. `inkan ca csr` keeps the new issuing CA's key here
-- until `inkan ca import` brings its certificate; then the key moves to `cas`. At most one.
CREATE TABLE pending_cas (
  id                INTEGER PRIMARY KEY CHECK (id = 1),
  key_type          TEXT    NOT NULL,
  encrypted_key_pem TEXT    NOT NULL,  -- PKCS#8 PBES2 under the operator passphrase, like cas
  csr_der           BLOB    NOT NULL,  -- the PKCS#10 handed to the offline root
  created_at        INTEGER NOT NULL
) STRICT;
