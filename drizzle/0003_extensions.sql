CREATE TABLE `extensions` (
	`id` text PRIMARY KEY NOT NULL,
	`managed_person_id` integer NOT NULL,
	`requester_id` text NOT NULL,
	`old_end_date` text NOT NULL,
	`new_end_date` text NOT NULL,
	`state` text DEFAULT 'requested' NOT NULL,
	`approval_channel_id` text,
	`approval_ts` text,
	`decided_by` text,
	`decided_at` integer,
	`deny_reason` text,
	`expires_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`managed_person_id`) REFERENCES `managed_people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `extensions_person_idx` ON `extensions` (`managed_person_id`,`state`);