ALTER TABLE "cloud_credentials" ADD COLUMN "fingerprint" text NOT NULL;--> statement-breakpoint
ALTER TABLE "cloud_credentials" ADD COLUMN "account_label" text;--> statement-breakpoint
ALTER TABLE "cloud_credentials" ADD COLUMN "scopes" jsonb;--> statement-breakpoint
ALTER TABLE "cloud_credentials" ADD COLUMN "status" text DEFAULT 'valid' NOT NULL;--> statement-breakpoint
ALTER TABLE "cloud_credentials" ADD COLUMN "status_message" text;--> statement-breakpoint
ALTER TABLE "cloud_credentials" ADD COLUMN "delete_after_provisioning" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cloud_credentials" ADD COLUMN "key_version" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "cloud_credentials" ADD COLUMN "wrapped_key" text NOT NULL;--> statement-breakpoint
ALTER TABLE "cloud_credentials" ADD COLUMN "ciphertext" text NOT NULL;--> statement-breakpoint
ALTER TABLE "cloud_credentials" ADD COLUMN "last_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cloud_credentials" ADD COLUMN "last_used_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "cloud_credentials_workspace_fingerprint_idx" ON "cloud_credentials" USING btree ("workspace_id","provider","fingerprint");--> statement-breakpoint
CREATE INDEX "cloud_credentials_key_version_idx" ON "cloud_credentials" USING btree ("key_version");