CREATE TABLE "support_grants" (
	"id" text PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"granted_by" text,
	"reason" text NOT NULL,
	"hours" integer NOT NULL,
	"public_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"expiry_recorded_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "support_grants" ADD CONSTRAINT "support_grants_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_grants" ADD CONSTRAINT "support_grants_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "support_grants_instance_created_idx" ON "support_grants" USING btree ("instance_id","created_at");--> statement-breakpoint
CREATE INDEX "support_grants_workspace_idx" ON "support_grants" USING btree ("workspace_id");