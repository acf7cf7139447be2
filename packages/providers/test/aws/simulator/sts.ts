// STS: GetCallerIdentity and AssumeRole.

import { randomBytes } from "node:crypto";
import type { SimContext } from "./state.ts";
import { int, type Node, need, SimError, str, type X } from "./xml.ts";

export function sts(ctx: SimContext, action: string, p: Node, principal: string, arn: string): X {
  if (action === "GetCallerIdentity") {
    return {
      Arn: arn,
      UserId: principal.startsWith("arn:") ? `AROA${principal.length}:clawcloud` : `AIDA${principal.slice(4, 16)}`,
      Account: ctx.opts.accountId,
    };
  }
  if (action === "AssumeRole") {
    const roleArn = need(p, "RoleArn");
    const sessionName = need(p, "RoleSessionName");
    const duration = int(p, "DurationSeconds") ?? 3600;
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new SimError("ValidationError", "RoleSessionName is invalid");
    if (duration < 900 || duration > 43200) throw new SimError("ValidationError", "DurationSeconds must be 900-43200");
    const role = ctx.roles.get(roleArn);
    if (!role || role.externalId !== str(p, "ExternalId")) {
      throw new SimError("AccessDenied", `User: ${arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
    }
    const accessKeyId = `ASIA${randomBytes(8).toString("hex").toUpperCase()}`;
    const token = randomBytes(48).toString("base64");
    const expires = ctx.opts.now() + duration * 1000;
    const roleName = roleArn.split("/").pop() ?? "role";
    const assumedArn = `arn:aws:sts::${roleArn.split(":")[4]}:assumed-role/${roleName}/${sessionName}`;
    ctx.sessions.set(accessKeyId, { token, principal: roleArn, arn: assumedArn, expires });
    return {
      Credentials: {
        AccessKeyId: accessKeyId,
        SecretAccessKey: randomBytes(30).toString("base64"),
        SessionToken: token,
        Expiration: new Date(expires),
      },
      AssumedRoleUser: { AssumedRoleId: `AROA${randomBytes(8).toString("hex").toUpperCase()}:${sessionName}`, Arn: assumedArn },
    };
  }
  throw new SimError("InvalidAction", `Could not find operation ${action} for version 2011-06-15`);
}
