// EC2 security groups.

import { paginate } from "./ec2.ts";
import type { RegionState, SimContext, SimGroup } from "./state.ts";
import { filters, int, list, matchAny, type Node, need, SimError, str, strings, tagFilter, tagSet, tagSpecs, type X } from "./xml.ts";

export function groupXml(ctx: SimContext, g: SimGroup): X {
  return {
    ownerId: ctx.opts.accountId,
    groupId: g.id,
    groupName: g.name,
    groupDescription: g.description,
    vpcId: g.vpcId,
    ipPermissions: g.ingress.map((rule) => ({
      ipProtocol: rule.protocol,
      fromPort: rule.from,
      toPort: rule.to,
      groups: [],
      ipRanges: rule.v4.map((cidrIp) => ({ cidrIp })),
      ipv6Ranges: rule.v6.length ? rule.v6.map((cidrIpv6) => ({ cidrIpv6 })) : undefined,
      prefixListIds: [],
    })),
    ipPermissionsEgress: [{ ipProtocol: "-1", groups: [], ipRanges: [{ cidrIp: "0.0.0.0/0" }], prefixListIds: [] }],
    tagSet: tagSet(g.tags),
  };
}

export function createGroup(ctx: SimContext, p: Node, r: RegionState): Record<string, X> {
  const name = need(p, "GroupName");
  const description = need(p, "GroupDescription");
  if (name.length > 255 || /^sg-/i.test(name)) throw new SimError("InvalidParameterValue", "Invalid security group name");
  if (description.length > 255 || !/^[\x20-\x7e]*$/.test(description))
    throw new SimError("InvalidParameterValue", "Invalid security group description");
  if (r.groups.has(name))
    throw new SimError("InvalidGroup.Duplicate", `The security group '${name}' already exists for VPC 'vpc-0default'`);
  const specs = tagSpecs(p);
  for (const s of specs)
    if (s.type !== "security-group")
      throw new SimError("InvalidParameterValue", `'${s.type}' is not a valid taggable resource type for this operation.`);
  const g: SimGroup = {
    id: ctx.id("sg"),
    name,
    description,
    vpcId: str(p, "VpcId") ?? "vpc-0default",
    tags: specs.flatMap((s) => s.tags),
    ingress: [],
    busyLeft: 0,
    invisibleLeft: ctx.opts.invisibleGroupDescribes,
  };
  r.groups.set(name, g);
  return { groupId: g.id, tagSet: tagSet(g.tags) };
}

export function findGroup(r: RegionState, p: Node): SimGroup {
  const id = str(p, "GroupId");
  const name = str(p, "GroupName");
  const g = [...r.groups.values()].find(
    (x) => (id !== undefined && x.id === id) || (id === undefined && name !== undefined && x.name === name),
  );
  if (!id && !name) throw new SimError("MissingParameter", "GroupId or GroupName is required");
  if (!g) throw new SimError("InvalidGroup.NotFound", `The security group '${id ?? name}' does not exist`);
  return g;
}

export function describeGroups(ctx: SimContext, p: Node, r: RegionState): Record<string, X> {
  const ids = strings(p, "GroupId");
  const names = strings(p, "GroupName");
  let groups = [...r.groups.values()].filter(
    (g) => (ids.length === 0 || ids.includes(g.id)) && (names.length === 0 || names.includes(g.name)),
  );
  if (ids.length && groups.length < ids.length)
    throw new SimError("InvalidGroup.NotFound", `The security group '${ids.join(",")}' does not exist`);
  const fs = filters(p);
  if (fs.some((f) => f.name.startsWith("tag"))) {
    const hidden = groups.filter((g) => g.invisibleLeft > 0);
    for (const g of hidden) g.invisibleLeft--;
    groups = groups.filter((g) => !hidden.includes(g));
  }
  for (const f of fs) {
    groups = groups.filter((g) => {
      const t = tagFilter(f, g.tags);
      if (t !== undefined) return t;
      if (f.name === "group-name") return matchAny(f.values, g.name);
      if (f.name === "group-id") return f.values.includes(g.id);
      if (f.name === "vpc-id") return f.values.includes(g.vpcId);
      throw new SimError("InvalidParameterValue", `The filter '${f.name}' is invalid`);
    });
  }
  const { page, next } = paginate(ctx, p, groups, "MaxResults", 5, 1000);
  return { securityGroupInfo: page.map((g) => groupXml(ctx, g)), nextToken: next };
}

export function authorizeIngress(ctx: SimContext, p: Node, r: RegionState): Record<string, X> {
  const g = findGroup(r, p);
  const perms = list(p, "IpPermissions");
  if (perms.length === 0) throw new SimError("MissingParameter", "IpPermissions is required");
  const added = perms.map((perm) => {
    const protocol = need(perm, "IpProtocol");
    const from = int(perm, "FromPort");
    const to = int(perm, "ToPort");
    if (!["tcp", "udp", "icmp", "-1", "6", "17"].includes(protocol))
      throw new SimError("InvalidParameterValue", `Invalid IP protocol ${protocol}`);
    if (protocol !== "-1" && (from === undefined || to === undefined || from < 0 || to > 65535 || from > to)) {
      throw new SimError("InvalidParameterValue", "Invalid port range");
    }
    const v4 = list(perm, "IpRanges").map((x) => need(x, "CidrIp"));
    const v6 = list(perm, "Ipv6Ranges").map((x) => need(x, "CidrIpv6"));
    for (const c of v4)
      if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(c)) throw new SimError("InvalidParameterValue", `CIDR block ${c} is malformed`);
    for (const c of v6) if (!/^[0-9a-f:]+\/\d{1,3}$/i.test(c)) throw new SimError("InvalidParameterValue", `CIDR block ${c} is malformed`);
    if (v4.length + v6.length === 0) throw new SimError("MissingParameter", "A source is required");
    return { protocol, from: from ?? -1, to: to ?? -1, v4, v6 };
  });
  for (const a of added) {
    const dup = g.ingress.some(
      (e) => e.protocol === a.protocol && e.from === a.from && e.to === a.to && a.v4.some((c) => e.v4.includes(c)),
    );
    if (dup)
      throw new SimError("InvalidPermission.Duplicate", `the specified rule "peer: ${a.v4[0]}, TCP, from port: ${a.from}" already exists`);
  }
  g.ingress.push(...added);
  return {
    return: true,
    securityGroupRuleSet: added.flatMap((a) =>
      [...a.v4.map((c) => ({ cidrIpv4: c })), ...a.v6.map((c) => ({ cidrIpv6: c }))].map((cidr) => ({
        securityGroupRuleId: ctx.id("sgr"),
        groupId: g.id,
        groupOwnerId: ctx.opts.accountId,
        isEgress: false,
        ipProtocol: a.protocol,
        fromPort: a.from,
        toPort: a.to,
        ...cidr,
      })),
    ),
  };
}

export function deleteGroup(p: Node, r: RegionState): Record<string, X> {
  const g = findGroup(r, p);
  if (g.name === "default") throw new SimError("CannotDelete", 'the specified group: "default" name cannot be deleted by a user');
  const holders = [...r.instances.values()].filter((i) => i.state !== "terminated" && i.groups.some((x) => x.id === g.id));
  if (holders.length > 0 || g.busyLeft > 0) {
    if (holders.length === 0) g.busyLeft--;
    throw new SimError("DependencyViolation", `resource ${g.id} has a dependent object`);
  }
  r.groups.delete(g.name);
  return { return: true };
}
