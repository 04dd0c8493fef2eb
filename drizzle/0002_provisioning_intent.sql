PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_offboardings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text DEFAULT 'doorflow' NOT NULL,
	`doorflow_person_id` integer,
	`request_id` text,
	`managed_person_id` integer,
	`person_name` text NOT NULL,
	`email` text,
	`reason` text NOT NULL,
	`last_day` text NOT NULL,
	`due_at` integer NOT NULL,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`next_attempt_at` integer,
	`lease_owner` text,
	`lease_expires_at` integer,
	`requested_by` text NOT NULL,
	`completed_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `access_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`managed_person_id`) REFERENCES `managed_people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_offboardings`("id", "provider", "doorflow_person_id", "managed_person_id", "person_name", "email", "reason", "last_day", "due_at", "status", "attempts", "last_error", "next_attempt_at", "lease_owner", "lease_expires_at", "requested_by", "completed_at", "created_at", "updated_at") SELECT "id", "provider", "doorflow_person_id", "managed_person_id", "person_name", "email", "reason", "last_day", "due_at", "status", "attempts", "last_error", "next_attempt_at", "lease_owner", "lease_expires_at", "requested_by", "completed_at", "created_at", "updated_at" FROM `offboardings`;--> statement-breakpoint
DROP TABLE `offboardings`;--> statement-breakpoint
ALTER TABLE `__new_offboardings` RENAME TO `offboardings`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `offboardings_due_idx` ON `offboardings` (`status`,`due_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `offboardings_request_uq` ON `offboardings` (`request_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `offboardings_open_person_uq` ON `offboardings` (`provider`,`doorflow_person_id`) WHERE status in ('scheduled', 'running', 'failed');