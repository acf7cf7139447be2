// Progress the first-boot script posts itself while no agent runs yet (the agent needs Node.js,
// which it installs first): in practice a failure in the steps before the agent starts, such as
// a Node.js mirror that is down or a tarball whose checksum does not match. Authenticated by the
// registration token, which stays unspent for the agent.
import { type BootstrapEventRequest, bootstrapEventRequestSchema } from "@clawcloud/contracts";
import { eq, schema } from "@clawcloud/db";
import { AppError } from "../errors.ts";
import { recordEvent } from "../instances/events.ts";
import type { Logger } from "../logger.ts";
import { parseInput } from "../validate.ts";
import { type BootstrapFailureDeps, failBootstrap } from "./bootstrap-failure.ts";
import { registrationRefusal } from "./register-agent.ts";

export async function reportBootstrapEvent(deps: BootstrapFailureDeps & { log: Logger }, input: unknown): Promise<void> {
  const body: BootstrapEventRequest = parseInput(bootstrapEventRequestSchema, input);
  const [row] = await deps.db.select().from(schema.instances).where(eq(schema.instances.id, body.instanceId)).limit(1);
  const why = registrationRefusal(row, body.token);
  if (!row || why) {
    deps.log.warn({ instanceId: body.instanceId, reason: why }, "bootstrap event refused");
    throw new AppError("UNAUTHENTICATED", "Bootstrap event refused: the token is invalid, expired or already used.");
  }
  await recordEvent(deps.db, row.id, `agent:${body.name}`, body.status, body.message);
  if (body.name === "bootstrap" && body.status === "failed") await failBootstrap(deps, row.id, body.message);
}
