CREATE TABLE `buzzin_permits` (
	`request_id` text PRIMARY KEY NOT NULL,
	`managed_person_id` integer,
	`stage` text DEFAULT 'contractor' NOT NULL,
	`phone` text NOT NULL,
	`trade_license_url` text NOT NULL,
	`trade_license_expiry` text NOT NULL,
	`salesforce_id` text NOT NULL,
	`permit_type` text NOT NULL,
	`property` text NOT NULL,
	`unit` text NOT NULL,
	`property_salesforce_id` text NOT NULL,
	`unit_salesforce_id` text NOT NULL,
	`contractor_id` text,
	`permit_id` text,
	`pass_id` text,
	`pass_notified_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `access_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`managed_person_id`) REFERENCES `managed_people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `buzzin_permits_contractor_uq` ON `buzzin_permits` (`contractor_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `buzzin_permits_permit_uq` ON `buzzin_permits` (`permit_id`);--> statement-breakpoint
CREATE INDEX `buzzin_permits_managed_idx` ON `buzzin_permits` (`managed_person_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_managed_people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` text,
	`doorflow_person_id` integer,
	`provider` text DEFAULT 'doorflow' NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`email` text,
	`company` text,
	`requester_id` text,
	`approver_id` text,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`credential_kind` text,
	`credentials` text DEFAULT '[]' NOT NULL,
	`access_ids` text DEFAULT '[]' NOT NULL,
	`access_names` text DEFAULT '[]' NOT NULL,
	`group_reservation_id` integer,
	`reservation_id` integer,
	`card_collected_at` integer,
	`card_collected_by` text,
	`offboarded_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `access_requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_managed_people`("id", "request_id", "doorflow_person_id", "provider", "kind", "status", "first_name", "last_name", "email", "company", "requester_id", "approver_id", "start_date", "end_date", "credential_kind", "credentials", "access_ids", "access_names", "group_reservation_id", "reservation_id", "card_collected_at", "card_collected_by", "offboarded_at", "created_at", "updated_at") SELECT "id", "request_id", "doorflow_person_id", "provider", "kind", "status", "first_name", "last_name", "email", "company", "requester_id", "approver_id", "start_date", "end_date", "credential_kind", "credentials", "access_ids", "access_names", "group_reservation_id", "reservation_id", "card_collected_at", "card_collected_by", "offboarded_at", "created_at", "updated_at" FROM `managed_people`;--> statement-breakpoint
DROP TABLE `managed_people`;--> statement-breakpoint
ALTER TABLE `__new_managed_people` RENAME TO `managed_people`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `managed_people_provider_person_uq` ON `managed_people` (`provider`,`doorflow_person_id`);--> statement-breakpoint
CREATE INDEX `managed_people_active_end_idx` ON `managed_people` (`status`,`end_date`);--> statement-breakpoint
CREATE INDEX `managed_people_email_idx` ON `managed_people` (`email`);