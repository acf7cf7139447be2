CREATE TABLE "agent_credentials" (
	"id" text PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "agent_credentials_secret_hash_unique" UNIQUE("secret_hash")
);
--> statement-breakpoint
CREATE TABLE "instance_events" (
	"id" text PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"step" text NOT NULL,
	"status" text NOT NULL,
	"message" text
);
--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "credential_id" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "size" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "memory_mb" integer;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "openclaw_version" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "step" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "state_message" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "server_id" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "ipv4" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "keep_on_failure" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "retries" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "registration_token_hash" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "registration_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "registered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "agent_public_key" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "agent_version" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "running_openclaw_version" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "last_heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "health" jsonb;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "ready_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agent_credentials" ADD CONSTRAINT "agent_credentials_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_events" ADD CONSTRAINT "instance_events_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_credentials_instance_idx" ON "agent_credentials" USING btree ("instance_id");--> statement-breakpoint
CREATE INDEX "instance_events_instance_at_idx" ON "instance_events" USING btree ("instance_id","at");--> statement-breakpoint
CREATE INDEX "instances_state_idx" ON "instances" USING btree ("state");--> statement-breakpoint
CREATE INDEX "instances_credential_idx" ON "instances" USING btree ("credential_id");