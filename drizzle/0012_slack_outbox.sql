CREATE TABLE `slack_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`channel` text,
	`target_ts` text,
	`ref` text,
	`message` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`lease_owner` text,
	`lease_expires_at` integer,
	`sent_ts` text,
	`sent_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `slack_outbox_status_idx` ON `slack_outbox` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `slack_outbox_ref_idx` ON `slack_outbox` (`ref`);