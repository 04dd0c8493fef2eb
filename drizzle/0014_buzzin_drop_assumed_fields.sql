ALTER TABLE `buzzin_permits` DROP COLUMN `permit_type`;--> statement-breakpoint
ALTER TABLE `buzzin_permits` DROP COLUMN `property_salesforce_id`;--> statement-breakpoint
ALTER TABLE `buzzin_permits` DROP COLUMN `unit_salesforce_id`;--> statement-breakpoint
ALTER TABLE `buzzin_permits` DROP COLUMN `pass_id`;--> statement-breakpoint
ALTER TABLE `buzzin_permits` DROP COLUMN `pass_notified_id`;