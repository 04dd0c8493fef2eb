CREATE TABLE `doorflow_bookings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`doorflow_id` integer,
	`doorflow_person_id` integer NOT NULL,
	`request_id` text,
	`managed_person_id` integer,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`access_ids` text NOT NULL,
	`status` text NOT NULL,
	`roles_before` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `access_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`managed_person_id`) REFERENCES `managed_people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `doorflow_bookings_id_uq` ON `doorflow_bookings` (`kind`,`doorflow_id`);--> statement-breakpoint
CREATE INDEX `doorflow_bookings_person_idx` ON `doorflow_bookings` (`doorflow_person_id`,`status`);--> statement-breakpoint
CREATE INDEX `doorflow_bookings_request_idx` ON `doorflow_bookings` (`request_id`);