// The `local` provider inside core: the driver (packages/providers/src/local) wired to the
// database — its install steps become timeline events as they happen, a failed install fails the
// instance — plus the install script's renderer with what this server knows (its own address for
// the agent, the agent bundle and its checksum, mirrors).
import { homedir } from "node:os";
import { join } from "node:path";
import { renderLocalInstall } from "@clawcloud/bootstrap";
import { and, type Db, eq, inArray, schema } from "@clawcloud/db";
import { createLocalDriver, type LocalDriver, type LocalRenderContext } from "@clawcloud/providers";
import type { Logger } from "../../logger.ts";
import type { Queue } from "../../queue/queue.ts";
import { recordEvent } from "../events.ts";
import { failInstance } from "../provision.ts";

export interface LocalOptions {
  /** Where this server answers agents on this machine (http on loopback is fine); known once it listens. */
  serverUrl: () => string | undefined;
  /** The agent bundle's path on that server (/agent/clawcloud-agent.js). */
  agentBundlePath: string;
  /** The npm cache the installs share; default: npm's own (~/.npm), warm after the first install. */
  npmCacheDir?: string;
  /** Tests: replaces the driver (fake install script and processes). */
  driver?: LocalDriver;
}

export interface LocalRuntime {
  driver: LocalDriver;
  /** This server's address for local agents, once it listens. */
  serverUrl(): string | undefined;
  /** Why this server cannot deploy here, if it cannot: said at Deploy. */
  blocker(): string | undefined;
  render(input: {
    instanceId: string;
    registrationToken: string;
    openclawVersion: string;
  }): (ctx: LocalRenderContext) => { script: string };
}

export function createLocalRuntime(
  o: LocalOptions,
  deps: { db: Db; queue: Queue; log: Logger; dataDir: string; agentBundleSha256: string | undefined; npmRegistry?: string | undefined },
): LocalRuntime {
  const log = deps.log.child({ provider: "local" });
  const driver =
    o.driver ??
    createLocalDriver({
      baseDir: join(deps.dataDir, "instances"),
      npmCacheDir: o.npmCacheDir ?? process.env.npm_config_cache ?? join(homedir(), ".npm"),
      serverUrl: o.serverUrl,
      onStep: (instanceId, e) => {
        recordEvent(deps.db, instanceId, `agent:${e.step}`, e.status, e.message || undefined).catch((err: unknown) =>
          log.warn({ instanceId, err: (err as Error).message }, "recording an install step failed"),
        );
      },
      onInstallFailed: (instanceId, message) => {
        log.warn({ instanceId, reason: message }, "local install failed");
        void failIfProvisioning(deps, instanceId, message).catch((err: unknown) =>
          log.error({ instanceId, err: (err as Error).message }, "marking a failed local install failed"),
        );
      },
      onProcessExit: (instanceId, name, info) => log.info({ instanceId, process: name, ...info }, "local instance process exited"),
    });
  return {
    driver,
    serverUrl: o.serverUrl,
    blocker() {
      if (!deps.agentBundleSha256) return "The agent bundle is not built on this server: its operator must run `npm run build`.";
      return undefined;
    },
    render(input) {
      return (ctx) => {
        const serverUrl = o.serverUrl();
        if (!serverUrl) throw new Error("this server's own address is not known yet");
        return renderLocalInstall({
          ...ctx,
          instanceId: input.instanceId,
          registrationToken: input.registrationToken,
          openclawVersion: input.openclawVersion,
          serverUrl,
          agentBundleUrl: `${serverUrl}${o.agentBundlePath}`,
          agentBundleSha256: deps.agentBundleSha256 ?? "",
          ...(deps.npmRegistry ? { mirrors: { npmRegistry: deps.npmRegistry } } : {}),
        });
      };
    },
  };
}

/** A failed install fails the instance — unless it is already past provisioning (or being deleted). */
async function failIfProvisioning(deps: { db: Db; queue: Queue }, instanceId: string, message: string): Promise<void> {
  const i = schema.instances;
  const [row] = await deps.db
    .select()
    .from(i)
    .where(and(eq(i.id, instanceId), inArray(i.state, ["pending", "creating", "booting", "bootstrapping"])));
  if (row) await failInstance(deps, row, message);
}
