CREATE TABLE `leaver_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`source` text NOT NULL,
	`signal` text NOT NULL,
	`external_id` text NOT NULL,
	`email` text,
	`name` text,
	`last_day` text,
	`state` text DEFAULT 'received' NOT NULL,
	`doorflow_person_id` integer,
	`offboarding_id` integer,
	`detail` text,
	`previous` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`notified_at` integer,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`offboarding_id`) REFERENCES `offboardings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `leaver_events_key_uq` ON `leaver_events` (`key`);--> statement-breakpoint
CREATE INDEX `leaver_events_state_idx` ON `leaver_events` (`state`,`received_at`);--> statement-breakpoint
CREATE INDEX `leaver_events_received_idx` ON `leaver_events` (`received_at`);--> statement-breakpoint
CREATE INDEX `leaver_events_email_idx` ON `leaver_events` (`email`);--> statement-breakpoint
CREATE TABLE `scim_users` (
	`id` text PRIMARY KEY NOT NULL,
	`user_name` text NOT NULL,
	`user_name_key` text NOT NULL,
	`external_id` text,
	`email` text,
	`active` integer DEFAULT true NOT NULL,
	`resource` text NOT NULL,
	`deactivations` integer DEFAULT 0 NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scim_users_user_name_uq` ON `scim_users` (`user_name_key`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `scim_users_external_idx` ON `scim_users` (`external_id`);--> statement-breakpoint
CREATE INDEX `scim_users_email_idx` ON `scim_users` (`email`);