ALTER TABLE `access_requests` ADD `existing_person` text;--> statement-breakpoint
ALTER TABLE `managed_people` ADD `card_notice_channel_id` text;--> statement-breakpoint
ALTER TABLE `managed_people` ADD `card_notice_ts` text;