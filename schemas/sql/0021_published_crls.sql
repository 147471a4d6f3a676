-- 0021: the last CRL signed for each CA, shared by every node (issue 22 item 3).
--
-- Each `inkan serve` kept the CRL it signed in its own memory, so two nodes on one database
-- signed one CRL each and a relying party switching between them could meet CRL number N+1,
-- then N. Now the signed CRL is stored here: a node serves the stored one while it is fresh and
-- lists the CA's current revocations (entries_digest), and re-signs it inside the write
-- transaction that takes the next number (cas.crl_number), so one node at a time signs a CA's CRL
-- and every node serves the same bytes. One row per CA, replaced by each newer CRL.
CREATE TABLE published_crls (
  ca_id          INTEGER PRIMARY KEY REFERENCES cas (id),
  number         INTEGER NOT NULL CHECK (number > 0),
  der            BLOB    NOT NULL,
  this_update    INTEGER NOT NULL,
  next_update    INTEGER NOT NULL,
  entries_digest TEXT    NOT NULL
) STRICT;
