-- 0008: the tenant policy "revoke the predecessor N days after renewal" (issue 18). NULL: never,
-- the seed's rule (both certificates stay valid until the old one expires).
ALTER TABLE tenants ADD COLUMN revoke_predecessor_after_days INTEGER
  CHECK (revoke_predecessor_after_days IS NULL OR revoke_predecessor_after_days BETWEEN 0 AND 3650);
