// validateCredentials: the key must sign requests Google accepts (else unauthorized), and the
// service account must hold every permission the driver uses on the project, asked with Cloud
// Resource Manager's testIamPermissions (which answers the subset held; nothing is created).

import type { CredentialCheck } from "../spec.ts";
import { toProviderError } from "./errors.ts";
import type { GceContext } from "./gce.ts";
import { GCP_REQUIRED_PERMISSIONS } from "./guide.ts";

export async function validateCredentials(ctx: GceContext): Promise<CredentialCheck> {
  const granted = await ctx.call("projects.testIamPermissions", async () => {
    const res = await ctx.auth
      .request<{ permissions?: string[] }>({
        url: `${ctx.resourceManagerUrl}/v1/projects/${encodeURIComponent(ctx.project)}:testIamPermissions`,
        method: "POST",
        data: { permissions: [...GCP_REQUIRED_PERMISSIONS] },
        timeout: ctx.timeoutMs,
        retry: false,
      })
      .catch((err: unknown) => {
        throw toProviderError(err, "projects.testIamPermissions");
      });
    return new Set(res.data.permissions ?? []);
  });
  const missing = GCP_REQUIRED_PERMISSIONS.filter((p) => !granted.has(p));
  return {
    accountLabel: `GCP ${ctx.project} · ${ctx.auth.email ?? ""}`,
    scopes: GCP_REQUIRED_PERMISSIONS.filter((p) => granted.has(p)).sort(),
    missingScopes: [...missing].sort(),
  };
}
