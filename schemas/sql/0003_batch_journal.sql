-- 0003: the journal of `inkan batch`. A job is keyed by its normalized arguments, so running the
-- same command again resumes it; its items move pending -> reserved -> committed (or skipped)
-- in the transactions that reserve and commit their certificates.
CREATE TABLE batch_jobs (
  id           INTEGER PRIMARY KEY,
  job_key      TEXT    NOT NULL UNIQUE,  -- hex SHA-256 of the normalized arguments
  command      TEXT    NOT NULL CHECK (command IN ('reissue', 'issue')),
  arguments    TEXT    NOT NULL,         -- the normalized arguments as JSON
  out_dir      TEXT    NOT NULL,         -- absolute path
  state        TEXT    NOT NULL CHECK (state IN ('running', 'completed')),
  created_at   INTEGER NOT NULL,
  completed_at INTEGER,
  total        INTEGER NOT NULL,
  CHECK ((state = 'completed') = (completed_at IS NOT NULL))
) STRICT;

CREATE TABLE batch_items (
  job_id     INTEGER NOT NULL REFERENCES batch_jobs (id),
  seq        INTEGER NOT NULL,
  tenant_id  TEXT    NOT NULL REFERENCES tenants (id),
  cn         TEXT    NOT NULL,
  kind       TEXT    NOT NULL,
  email      TEXT,
  key_type   TEXT    NOT NULL,
  p12_profile TEXT   NOT NULL,
  old_serial TEXT    REFERENCES certificates (serial),
  -- No foreign key: a reservation left by a crash must stay droppable (`doctor
  -- --clear-reservations`); the resume and `doctor` find items that point at nothing.
  new_serial TEXT,
  state      TEXT    NOT NULL CHECK (state IN ('pending', 'reserved', 'committed', 'skipped')),
  note       TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (job_id, seq),
  CHECK ((state IN ('reserved', 'committed')) = (new_serial IS NOT NULL))
) STRICT;

CREATE INDEX batch_items_state ON batch_items (job_id, state, seq);
CREATE UNIQUE INDEX batch_items_new_serial ON batch_items (new_serial);  -- NULLs do not collide
