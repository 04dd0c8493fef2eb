-- The audit trail is append-only: no code path may change or remove what happened.
-- These triggers make SQLite refuse it, whatever the caller.
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events`
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only: rows cannot be updated');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_events_no_delete` BEFORE DELETE ON `audit_events`
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only: rows cannot be deleted');
END;
