-- 0005: indexes for lists and filters at 1,000,000 certificates (issue 6; measured by
-- `inkan-bench store`, plans checked by tests/unit/store_list_plan_test.cpp).
-- Every list is ordered by (not_after, serial): each index below ends with those columns, so a
-- page is read in order from the index, without sorting the matching rows, and OFFSET skips
-- index entries without reading the table.

-- Status filters of every tenant (active, superseded, revoked) and their counts.
-- Supersedes certificates_state (state): same leading column.
CREATE INDEX certificates_state_not_after ON certificates (state, not_after, serial);
DROP INDEX certificates_state;

-- The unfiltered list, expired and expiring soon: state is in the index, so the filter and the
-- count never read the table. Supersedes certificates_not_after (not_after).
CREATE INDEX certificates_not_after_state ON certificates (not_after, serial, state);
DROP INDEX certificates_not_after;

-- One tenant's list, in order, with state for the filter and the count (deep pages skip index
-- entries only). Supersedes certificates_tenant_not_after (tenant_id, not_after).
CREATE INDEX certificates_tenant_not_after_state ON certificates (tenant_id, not_after, serial, state);
DROP INDEX certificates_tenant_not_after;

-- Filter by kind (tenant-admin certificates), for every tenant and within one.
CREATE INDEX certificates_kind_not_after ON certificates (kind, not_after, serial, state);
CREATE INDEX certificates_tenant_kind_not_after ON certificates (tenant_id, kind, not_after, state);

-- The CRL: revoked certificates of one CA in CRL order, covering (no table reads). state is a
-- column too: SQLite counts an index as covering only when it holds every column the query
-- names, the partial index's own condition included.
CREATE INDEX certificates_revoked_by_ca ON certificates (ca_id, revoked_at, serial, revocation_reason, state)
  WHERE state = 'revoked';

-- successor references certificates (serial): without an index, deleting a reservation (and
-- any deferred key check) scans the whole table for rows naming it.
CREATE INDEX certificates_successor ON certificates (successor);
