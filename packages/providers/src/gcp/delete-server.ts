// deleteServer: refuses an instance without our instance id, deletes it (its boot disk goes with
// it: autoDelete) and waits, then deletes the firewall rules made for it, found by name prefix.

import { ProviderError } from "../spec.ts";
import { type GceContext, requestIdFor } from "./gce.ts";
import { GCP_INSTANCE_LABEL, namesFor, parseServerId } from "./names.ts";
import { getInstance, instanceIdOf } from "./servers.ts";

export async function deleteFirewalls(ctx: GceContext, instanceId: string): Promise<void> {
  const n = namesFor(instanceId);
  const names = await ctx.call("firewalls.list", async () => {
    const out: string[] = [];
    for await (const fw of ctx.firewalls.listAsync({ project: ctx.project, filter: `name eq "${n.instance}-.*"` }, ctx.callOptions)) {
      // The filter is a regular expression on the server; check the prefix here too.
      if (fw.name?.startsWith(`${n.instance}-`)) out.push(fw.name);
    }
    return out;
  });
  for (const name of names) {
    const r = await ctx.find("firewalls.delete", () =>
      ctx.firewalls.delete({ project: ctx.project, firewall: name, requestId: requestIdFor("firewall-delete", name) }, ctx.callOptions),
    );
    if (r) await ctx.waitGlobal("firewalls.delete", r[0].latestResponse as never);
  }
}

export async function deleteServer(ctx: GceContext, serverId: string, opts?: { instanceId?: string }): Promise<void> {
  const id = parseServerId(serverId);
  if (!id) return;
  const inst = await getInstance(ctx, id.zone, id.name);
  const ours = inst ? instanceIdOf(inst) : undefined;
  if (inst && (!ours || (opts?.instanceId !== undefined && ours !== opts.instanceId))) {
    throw new ProviderError({
      provider: "gcp",
      kind: "forbidden",
      message: `GCP: refusing to delete ${serverId.slice(0, 80)}: it does not carry the ${GCP_INSTANCE_LABEL} of this instance, so Claw Cloud did not create it for this instance`,
    });
  }
  if (inst) {
    const r = await ctx.find("instances.delete", () =>
      ctx.instances.delete(
        {
          project: ctx.project,
          zone: id.zone,
          instance: id.name,
          requestId: requestIdFor("instance-delete", id.zone, id.name, inst.id?.toString() ?? ""),
        },
        ctx.callOptions,
      ),
    );
    if (r) await ctx.waitZone("instances.delete", id.zone, r[0].latestResponse as never);
  }
  const instanceId = ours ?? opts?.instanceId;
  if (instanceId !== undefined) await deleteFirewalls(ctx, instanceId);
}
