// validateCredentials: Entra ID must issue a token for the service principal (else unauthorized),
// the resource group must exist, and the principal's effective permissions on it (ARM's
// Microsoft.Authorization/permissions, which every principal may read about itself) must cover
// every action the driver uses. Nothing is created to find out.

import type { CredentialCheck } from "../spec.ts";
import { type ArmContext, rgPath } from "./arm.ts";
import { AZURE_FORBIDDEN_ACTIONS, AZURE_REQUIRED_ACTIONS } from "./guide.ts";

export interface PermissionEntry {
  actions?: string[];
  notActions?: string[];
}

const globToRegExp = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`, "i");

/** Whether any role assignment grants `action` (Azure: an entry's actions minus its notActions). */
export function allows(entries: readonly PermissionEntry[], action: string): boolean {
  return entries.some(
    (e) => (e.actions ?? []).some((a) => globToRegExp(a).test(action)) && !(e.notActions ?? []).some((n) => globToRegExp(n).test(action)),
  );
}

export async function validateCredentials(ctx: ArmContext): Promise<CredentialCheck> {
  const group = (await ctx.armGet("GetResourceGroup", `${rgPath(ctx)}?api-version=2021-04-01`)) as { location?: string } | undefined;
  const perms = (await ctx.armGet(
    "ListPermissions",
    `${rgPath(ctx)}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`,
  )) as { value?: PermissionEntry[] } | undefined;
  const entries = perms?.value ?? [];
  const missing = AZURE_REQUIRED_ACTIONS.filter((a) => !allows(entries, a));
  const granted = AZURE_REQUIRED_ACTIONS.filter((a) => allows(entries, a));
  // More than needed is accepted, but said: the page asks for a role that cannot run commands in VMs.
  const tooMuch = AZURE_FORBIDDEN_ACTIONS.filter((a) => allows(entries, a));
  const where = group?.location ? ` (${group.location})` : "";
  return {
    accountLabel: `Azure ${ctx.creds.subscriptionId} · ${ctx.rg}${where}${tooMuch.length > 0 ? " · role can run commands in VMs" : ""}`,
    scopes: [...granted].sort(),
    missingScopes: [...missing].sort(),
  };
}
