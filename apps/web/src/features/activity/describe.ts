import type { AuditAction, AuditEntry } from "./api";

/** What each action is called on the page and in the filter. */
export const ACTION_LABELS: Record<AuditAction, string> = {
  "auth.sign_up": "Account created",
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "auth.sign_out": "Signed out",
  "credential.create": "Cloud account added",
  "credential.use": "Cloud account used",
  "credential.delete": "Cloud account removed",
  "instance.create": "Deploy started",
  "instance.delete": "Instance deleted",
  "instance.retry": "Deploy retried",
  "instance.update": "Instance updated",
  "instance.rollback": "Instance rolled back",
  "support.grant": "Support access granted",
  "support.revoke": "Support access revoked",
  "support.expire": "Support access expired",
  "support.login": "Support engineer signed in",
  "support.tunnel": "Support opened an SSH tunnel",
  "vault.rotate": "Master key rotated",
};

/** A short line of the entry's details, from its metadata. */
export function detailsOf(e: AuditEntry): string {
  const m = e.metadata;
  const parts: string[] = [];
  for (const key of ["name", "label", "provider", "region", "size", "purpose", "result", "hours", "reason"]) {
    const v = m[key];
    if (typeof v === "string" || typeof v === "number") parts.push(key === "name" || key === "label" ? `“${v}”` : `${key} ${v}`);
  }
  // A user target (sign-in, sign-up) is the actor already shown; other targets by id.
  if (e.target && e.target.type !== "user" && parts.length === 0) parts.push(e.target.id);
  return parts.join(" · ");
}

export function actorOf(e: AuditEntry): string {
  if (e.actor.type === "system") return "Claw Cloud";
  return e.actor.email ?? e.actor.id ?? "Unknown";
}
