-- 0013: CA keys held in a PKCS#11 token (issue 21). The key stays on the token; the database
-- records only which module drives it and the RFC 7512 URI naming it ('' for a software key,
-- whose encrypted PKCS#8 is in encrypted_key_pem). A CA key is one or the other, never both.
-- The PIN is never stored: every command that signs reads it from a file or the terminal.
ALTER TABLE cas ADD COLUMN key_module TEXT NOT NULL DEFAULT ''
  CHECK (key_module = '' OR encrypted_key_pem = '');
ALTER TABLE cas ADD COLUMN key_uri TEXT NOT NULL DEFAULT ''
  CHECK ((key_uri = '') = (key_module = ''));

ALTER TABLE pending_cas ADD COLUMN key_module TEXT NOT NULL DEFAULT ''
  CHECK (key_module = '' OR encrypted_key_pem = '');
ALTER TABLE pending_cas ADD COLUMN key_uri TEXT NOT NULL DEFAULT ''
  CHECK ((key_uri = '') = (key_module = ''));
