import type { Db } from "@clawcloud/db";

export interface SupportDeps {
  db: Db;
  /** `type base64` of the support engineers' key; absent → grants are refused. */
  publicKey: string | undefined;
  /** Tells the transport that an instance's support state changed (push it to the agent). */
  changed(instanceId: string): void;
}
