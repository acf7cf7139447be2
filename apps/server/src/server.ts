// Starts Claw Cloud in one process: the core (database, queue, auth), the HTTP server for the
// api role and the job workers for the worker role. Used by main.ts and by the tests.
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createCore } from "@clawcloud/core";
import { serve } from "@hono/node-server";
import type { Config } from "./config.ts";
import { createApp } from "./http/app.ts";
import { registerJobs } from "./jobs/index.ts";
import type { AppLogger } from "./logger.ts";

export const version: string = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "..", "package.json"), "utf8")).version;
export const defaultWebRoot = join(import.meta.dirname, "..", "..", "web", "dist");

export interface RunningServer {
  /** The address the HTTP server listens on (absent for a worker-only process). */
  url: string | undefined;
  app: ReturnType<typeof createApp> | undefined;
  core: Awaited<ReturnType<typeof createCore>>;
  stop(): Promise<void>;
}

export async function startServer(config: Config, log: AppLogger, opts: { webRoot?: string | null } = {}): Promise<RunningServer> {
  const worker = config.role !== "api";
  const core = await createCore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    baseURL: config.publicUrl,
    authSecret: config.authSecret,
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    worker,
    rateLimitScale: config.rateLimitScale,
    log,
  });
  if (core.mailerKind === "log") log.info({}, "No SMTP_URL set: e-mail links are printed to this log, marked 📧 E-MAIL.");
  if (worker) await registerJobs(core);

  if (config.role === "worker") {
    log.info({ role: config.role, database: core.databaseKind }, "worker started");
    return { url: undefined, app: undefined, core, stop: () => core.close() };
  }

  const webRoot = opts.webRoot === null ? undefined : (opts.webRoot ?? defaultWebRoot);
  const app = createApp({ core, log, publicUrl: config.publicUrl, version, trustProxy: config.trustProxy, webRoot });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}`;
  log.info({ url, publicUrl: config.publicUrl, role: config.role, database: core.databaseKind, version }, "listening");
  return {
    url,
    app,
    core,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections would hold close() open; they have nothing in flight by now.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await core.close();
    },
  };
}
