CREATE TABLE "instance_operations" (
	"id" text PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"kind" text NOT NULL,
	"from_version" text NOT NULL,
	"to_version" text NOT NULL,
	"step" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"message" text,
	"backup" text,
	"rollout_id" text,
	"requested_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "instance_pins" (
	"instance_id" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"pinned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "openclaw_channels" (
	"channel" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "openclaw_releases" (
	"version" text PRIMARY KEY NOT NULL,
	"tarball" text,
	"notes" text,
	"notes_fetched_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollout_targets" (
	"rollout_id" text NOT NULL,
	"instance_id" text NOT NULL,
	"ring" integer NOT NULL,
	"operation_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollouts" (
	"id" text PRIMARY KEY NOT NULL,
	"target_version" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"rings" jsonb NOT NULL,
	"current_ring" integer DEFAULT 0 NOT NULL,
	"bake_seconds" integer NOT NULL,
	"failure_threshold" real NOT NULL,
	"failures_accepted" integer DEFAULT 0 NOT NULL,
	"ring_finished_at" timestamp with time zone,
	"message" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "instance_operations" ADD CONSTRAINT "instance_operations_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_pins" ADD CONSTRAINT "instance_pins_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollout_targets" ADD CONSTRAINT "rollout_targets_rollout_id_rollouts_id_fk" FOREIGN KEY ("rollout_id") REFERENCES "public"."rollouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollout_targets" ADD CONSTRAINT "rollout_targets_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "instance_operations_instance_idx" ON "instance_operations" USING btree ("instance_id","created_at");--> statement-breakpoint
CREATE INDEX "instance_operations_rollout_idx" ON "instance_operations" USING btree ("rollout_id");--> statement-breakpoint
CREATE UNIQUE INDEX "instance_operations_one_running_idx" ON "instance_operations" USING btree ("instance_id") WHERE status = 'running';--> statement-breakpoint
CREATE UNIQUE INDEX "rollout_targets_pk" ON "rollout_targets" USING btree ("rollout_id","instance_id");--> statement-breakpoint
CREATE INDEX "rollout_targets_ring_idx" ON "rollout_targets" USING btree ("rollout_id","ring");--> statement-breakpoint
CREATE INDEX "rollouts_status_idx" ON "rollouts" USING btree ("status");