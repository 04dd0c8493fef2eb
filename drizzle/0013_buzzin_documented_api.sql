ALTER TABLE `buzzin_permits` ADD `noc_url` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `noc_number` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `noc_issue_date` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `noc_expiry_date` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `time_in` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `time_out` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `representative_name` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `representative_phone` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `employees` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `jobs_summary` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `salesforce_permit_id` text;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `contractor_approved_at` integer;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `pass_fingerprint` text;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `pass_number` text;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `pass_issued_at` integer;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `pass_notified_fingerprint` text;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `pass_sending_until` integer;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `pass_sending_owner` text;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `retired_fingerprint` text;--> statement-breakpoint
ALTER TABLE `buzzin_permits` ADD `reissue_requested_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `buzzin_permits_salesforce_permit_uq` ON `buzzin_permits` (`salesforce_permit_id`);--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `problem` text;