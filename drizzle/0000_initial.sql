CREATE TABLE `access_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`provider` text DEFAULT 'doorflow' NOT NULL,
	`state` text DEFAULT 'requested' NOT NULL,
	`requester_id` text NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`email` text,
	`company` text NOT NULL,
	`notes` text,
	`access_ids` text NOT NULL,
	`access_names` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`credential` text NOT NULL,
	`card_number` text,
	`approval_channel_id` text,
	`approval_ts` text,
	`decided_by` text,
	`decided_at` integer,
	`deny_reason` text,
	`expires_at` integer NOT NULL,
	`step` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`give_up_at` integer,
	`last_error` text,
	`failure_notified_at` integer,
	`doorflow_person_id` integer,
	`person_created` integer DEFAULT false NOT NULL,
	`group_reservation_id` integer,
	`reservation_id` integer,
	`lease_owner` text,
	`lease_expires_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `access_requests_state_idx` ON `access_requests` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `access_requests_requester_idx` ON `access_requests` (`requester_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `access_requests_email_idx` ON `access_requests` (`email`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`channel_id` text NOT NULL,
	`ts` text,
	`status` text DEFAULT 'open' NOT NULL,
	`summary` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_key_uq` ON `alerts` (`key`);--> statement-breakpoint
CREATE INDEX `alerts_status_idx` ON `alerts` (`status`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`request_id` text,
	`doorflow_person_id` integer,
	`subject_email` text,
	`subject_name` text,
	`outcome` text DEFAULT 'ok' NOT NULL,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_events_at_idx` ON `audit_events` (`at`);--> statement-breakpoint
CREATE INDEX `audit_events_email_idx` ON `audit_events` (`subject_email`,`at`);--> statement-breakpoint
CREATE INDEX `audit_events_person_idx` ON `audit_events` (`doorflow_person_id`,`at`);--> statement-breakpoint
CREATE TABLE `doorflow_tokens` (
	`base_url` text PRIMARY KEY NOT NULL,
	`access_token_enc` text NOT NULL,
	`refresh_token_enc` text NOT NULL,
	`expires_at` integer NOT NULL,
	`scope` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`scheduled_for` integer,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`status` text NOT NULL,
	`summary` text
);
--> statement-breakpoint
CREATE INDEX `job_runs_job_idx` ON `job_runs` (`job`,`started_at`);--> statement-breakpoint
CREATE TABLE `managed_people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` text,
	`doorflow_person_id` integer NOT NULL,
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
CREATE UNIQUE INDEX `managed_people_provider_person_uq` ON `managed_people` (`provider`,`doorflow_person_id`);--> statement-breakpoint
CREATE INDEX `managed_people_active_end_idx` ON `managed_people` (`status`,`end_date`);--> statement-breakpoint
CREATE INDEX `managed_people_email_idx` ON `managed_people` (`email`);--> statement-breakpoint
CREATE TABLE `offboardings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text DEFAULT 'doorflow' NOT NULL,
	`doorflow_person_id` integer NOT NULL,
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
	FOREIGN KEY (`managed_person_id`) REFERENCES `managed_people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `offboardings_due_idx` ON `offboardings` (`status`,`due_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `offboardings_open_person_uq` ON `offboardings` (`provider`,`doorflow_person_id`) WHERE status in ('scheduled', 'running', 'failed');--> statement-breakpoint
CREATE TABLE `reminders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`managed_person_id` integer NOT NULL,
	`kind` text NOT NULL,
	`end_date` text NOT NULL,
	`sent_at` integer NOT NULL,
	FOREIGN KEY (`managed_person_id`) REFERENCES `managed_people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminders_once_uq` ON `reminders` (`managed_person_id`,`kind`,`end_date`);