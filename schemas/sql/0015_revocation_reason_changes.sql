-- 0015: a revocation's reason can be corrected (`inkan revoke SERIAL --correct-reason`, issue 16
-- item 5). The OCSP responder learns of changes through certificate_status_changes (0007), whose
-- trigger fires on a change of state only; a corrected reason changes no state, so it is logged
-- here too, and a running responder re-signs that certificate's answer. Only a correction: the
-- revocation itself is logged once, by 0007's trigger.
CREATE TRIGGER certificates_reason_change AFTER UPDATE OF revocation_reason ON certificates
  WHEN OLD.state = 'revoked' AND NEW.state = 'revoked' AND OLD.revocation_reason IS NOT NEW.revocation_reason
BEGIN
  INSERT INTO certificate_status_changes (serial) VALUES (NEW.serial);
  DELETE FROM certificate_status_changes
    WHERE seq <= (SELECT max(seq) FROM certificate_status_changes) - 10000;
END;
