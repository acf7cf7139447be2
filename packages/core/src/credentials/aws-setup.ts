// AWS roles are assumed with an external ID that Claw Cloud issues per workspace (never one the
// user picks): it stops anyone else's Claw Cloud workspace from being pointed at this role
// (the "confused deputy" problem).
import { createHmac } from "node:crypto";
import type { AwsSetup } from "@clawcloud/contracts";
import { awsGuide } from "@clawcloud/providers";
import type { Actor } from "../actor.ts";

export function awsExternalIdFor(key: string, workspaceId: string): string {
  return `clawcloud-${createHmac("sha256", key).update(`aws-external-id:v1:${workspaceId}`).digest("hex").slice(0, 32)}`;
}

export function awsSetup(cfg: { key: string; trustedAccountId: string | undefined }, actor: Pick<Actor, "workspaceId">): AwsSetup {
  const externalId = awsExternalIdFor(cfg.key, actor.workspaceId);
  return {
    externalId,
    trustedAccountId: cfg.trustedAccountId ?? null,
    trustPolicy: cfg.trustedAccountId ? awsGuide.trustPolicy(cfg.trustedAccountId, externalId) : null,
    permissionsPolicy: awsGuide.policy,
  };
}
