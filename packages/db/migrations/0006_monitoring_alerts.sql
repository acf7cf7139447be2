CREATE TABLE "alert_settings" (
	"user_id" text PRIMARY KEY NOT NULL,
	"email_enabled" boolean DEFAULT true NOT NULL,
	"webhook_url" text,
	"webhook_key_version" integer,
	"webhook_wrapped_key" text,
	"webhook_ciphertext" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instance_incidents" (
	"id" text PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "instance_metrics" (
	"instance_id" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"cpu_load" real NOT NULL,
	"cpu_cores" integer NOT NULL,
	"mem_used_mb" integer NOT NULL,
	"mem_total_mb" integer NOT NULL,
	"disk_used_mb" integer NOT NULL,
	"disk_total_mb" integer NOT NULL,
	"gateway_healthy" boolean NOT NULL,
	"samples" integer NOT NULL,
	"openclaw_version" text,
	"agent_version" text NOT NULL,
	CONSTRAINT "instance_metrics_instance_id_bucket_pk" PRIMARY KEY("instance_id","bucket")
);
--> statement-breakpoint
ALTER TABLE "alert_settings" ADD CONSTRAINT "alert_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_incidents" ADD CONSTRAINT "instance_incidents_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_metrics" ADD CONSTRAINT "instance_metrics_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "instance_incidents_open_idx" ON "instance_incidents" USING btree ("instance_id") WHERE "instance_incidents"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "instance_incidents_instance_opened_idx" ON "instance_incidents" USING btree ("instance_id","opened_at");--> statement-breakpoint
CREATE INDEX "instance_metrics_bucket_idx" ON "instance_metrics" USING btree ("bucket");