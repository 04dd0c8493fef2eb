-- The reservations and group reservations Gatehouse made before doorflow_bookings existed, from
-- the ids managed_people kept for live contracts. Their exact window was not stored: the row's
-- start and end are the contract's record times, and nothing reads a backfilled window (extension
-- chains from the contract's last day, offboarding deletes by id).
INSERT INTO `doorflow_bookings` (`kind`, `doorflow_id`, `doorflow_person_id`, `request_id`, `managed_person_id`, `starts_at`, `ends_at`, `access_ids`, `status`, `updated_at`)
SELECT 'group_reservation', `group_reservation_id`, `doorflow_person_id`, `request_id`, `id`, `created_at`, `updated_at`, `access_ids`, 'live', `updated_at`
FROM `managed_people`
WHERE `status` = 'active' AND `group_reservation_id` IS NOT NULL AND `doorflow_person_id` IS NOT NULL;
--> statement-breakpoint
INSERT INTO `doorflow_bookings` (`kind`, `doorflow_id`, `doorflow_person_id`, `request_id`, `managed_person_id`, `starts_at`, `ends_at`, `access_ids`, `status`, `updated_at`)
SELECT 'reservation', `reservation_id`, `doorflow_person_id`, `request_id`, `id`, `created_at`, `updated_at`, `access_ids`, 'live', `updated_at`
FROM `managed_people`
WHERE `status` = 'active' AND `reservation_id` IS NOT NULL AND `doorflow_person_id` IS NOT NULL;
