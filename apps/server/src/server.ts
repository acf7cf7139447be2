// Starts Claw Cloud in one process: the core (database, queue, auth), the HTTP server for the
// api role and the job workers for the worker role. Used by main.ts and by the tests.
import { readFileSync } from "node:fs";
import { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { AGENT_PROTOCOL, CHAT_PROTOCOL, SUPPORT_TUNNEL_PROTOCOL } from "@clawcloud/contracts";
import { createCore } from "@clawcloud/core";
import { serve } from "@hono/node-server";
import { WebSocketServer } from "ws";
import { AgentConnections } from "./agent-gateway/connections.ts";
import { SupportTunnels } from "./agent-gateway/tunnels.ts";
import type { Config } from "./config.ts";
import { AGENT_BUNDLE_PATH, loadAgentBundle } from "./http/agent-bundle.ts";
import { createApp } from "./http/app.ts";
import { registerJobs } from "./jobs/index.ts";
import type { AppLogger } from "./logger.ts";
import { Keepalive } from "./relay/keepalive.ts";

/** Longer than the 60 s idle timeout of common load balancers and proxies (AWS ALB, nginx upstream keepalive). */
const KEEP_ALIVE_MS = 65_000;

export const version: string = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "..", "package.json"), "utf8")).version;
export const defaultWebRoot = join(import.meta.dirname, "..", "..", "web", "dist");

export interface RunningServer {
  /** The address the HTTP server listens on (absent for a worker-only process). */
  url: string | undefined;
  app: ReturnType<typeof createApp> | undefined;
  core: Awaited<ReturnType<typeof createCore>>;
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  log: AppLogger,
  opts: { webRoot?: string | null; agentBundlePath?: string } = {},
): Promise<RunningServer> {
  const worker = config.role !== "api";
  const agentBundle = loadAgentBundle(opts.agentBundlePath ?? config.agentBundlePath);
  // Where agents of instances on this machine dial: this server's own address, once it listens
  // (a worker-only process has none: its public URL).
  let localUrl: string | undefined = config.role === "worker" ? config.publicUrl : undefined;
  // The agents' sockets live in api processes. Jobs send commands through them: in the same
  // process (role `all`), or, on PostgreSQL, through the replica that holds the socket.
  const agents = new AgentConnections();
  const core = await createCore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    baseURL: config.publicUrl,
    authSecret: config.authSecret,
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    worker,
    rateLimitScale: config.rateLimitScale,
    masterKeys: config.masterKeys,
    providerEndpoints: config.providerEndpoints,
    awsAccountId: config.awsAccountId,
    staffEmails: config.staffEmails,
    webhooks: config.webhooks,
    supportPublicKey: config.supportPublicKey,
    userData: {
      agentUrl: config.agentUrl,
      agentBundleUrl: `${config.agentUrl}${AGENT_BUNDLE_PATH}`,
      agentBundleSha256: agentBundle?.sha256,
      mirrors: config.mirrors,
    },
    local: { serverUrl: () => localUrl, agentBundlePath: AGENT_BUNDLE_PATH },
    // Every role: a worker-only process reaches agents through the replica that holds their socket.
    agentChannel: agents,
    agentRelease: agentBundle?.version ? { version: agentBundle.version, sha256: agentBundle.sha256 } : undefined,
    log,
  });
  if (core.mailerKind === "log") log.info({}, "No SMTP_URL set: e-mail links are printed to this log, marked 📧 E-MAIL.");
  if (worker) await registerJobs(core);

  await agents.start({
    bus: core.bus,
    presence: { connectedHere: core.agents.connectedHere, leftHere: core.agents.leftHere, replicaOf: core.agents.replicaOf },
  });
  if (config.role === "worker") {
    await core.provisioning.resumeLocal();
    log.info({ role: config.role, database: core.databaseKind }, "worker started");
    return {
      url: undefined,
      app: undefined,
      core,
      async stop() {
        await agents.closeAll();
        await core.close();
      },
    };
  }

  const webRoot = opts.webRoot === null ? undefined : (opts.webRoot ?? defaultWebRoot);
  const keepalive = new Keepalive();
  const tunnels = new SupportTunnels();
  const app = createApp({
    core,
    log,
    publicUrl: config.publicUrl,
    version,
    trustProxy: config.trustProxy,
    webRoot,
    agents,
    keepalive,
    tunnels,
    agentBundle,
  });
  const wss = new WebSocketServer({
    noServer: true,
    // Agents send chat history in one frame; browsers are held to far less by the chat socket itself.
    maxPayload: 16 * 1024 * 1024,
    perMessageDeflate: false,
    // Each route checks that the protocol fits it (agent socket, chat, support tunnel).
    handleProtocols: (offered) => [AGENT_PROTOCOL, CHAT_PROTOCOL, SUPPORT_TUNNEL_PROTOCOL].find((p) => offered.has(p)) ?? false,
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, websocket: { server: wss } });
  // Idle keep-alive connections outlive a load balancer's (typically 60 s): the proxy, not this
  // server, closes them, so a request never races a close it cannot see (a 502, or a lost POST).
  if (server instanceof HttpServer) {
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  }
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}`;
  localUrl = loopbackUrl(addr);
  if (worker) await core.provisioning.resumeLocal();
  log.info({ url, publicUrl: config.publicUrl, role: config.role, database: core.databaseKind, version }, "listening");
  return {
    url,
    app,
    core,
    async stop() {
      tunnels.closeAll();
      await agents.closeAll();
      keepalive.stop();
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections would hold close() open; they have nothing in flight by now.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await core.close();
    },
  };
}

/** This server as reached from this machine: a wildcard address becomes loopback. */
export function loopbackUrl(addr: AddressInfo): string {
  const wildcard = addr.address === "0.0.0.0" || addr.address === "::";
  const host = wildcard ? (addr.address === "::" ? "[::1]" : "127.0.0.1") : addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return `http://${host}:${addr.port}`;
}
