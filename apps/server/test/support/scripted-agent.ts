// A scripted agent for tests: registers with a real one-time token, keeps the real protocol's
// WebSocket (clawcloud-agent.v1), heartbeats, and answers the update commands from a script —
// modelling the installed OpenClaw version the way a real instance would change it.
import { randomBytes } from "node:crypto";
import { AGENT_PROTOCOL } from "@clawcloud/contracts";
import WebSocket from "ws";

export interface Script {
  /** Per command name: "ok" (default), or a failure code the command answers with. */
  fail?: Partial<Record<"openclaw.backup" | "openclaw.update" | "openclaw.restore" | "openclaw.health", string>>;
  /** Versions whose gateway never becomes ready here (e.g. a state its schema cannot open). */
  unhealthy?: string[];
}

export interface ScriptedAgent {
  version: string;
  commands: { id: string; name: string; args: Record<string, unknown> }[];
  backups: string[];
  script: Script;
  close(): void;
}

export async function startScriptedAgent(o: { serverUrl: string; instanceId: string; token: string; version: string; script?: Script }) {
  const reg = await fetch(`${o.serverUrl}/api/agent/v1/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      instanceId: o.instanceId,
      token: o.token,
      publicKey: randomBytes(32).toString("base64"),
      agentVersion: "0.1.0",
    }),
  });
  if (!reg.ok) throw new Error(`register: HTTP ${reg.status} ${await reg.text()}`);
  const { credential } = (await reg.json()) as { credential: string };
  const agent: ScriptedAgent = { version: o.version, commands: [], backups: [], script: o.script ?? {}, close: () => ws.close() };
  const ws = new WebSocket(`${o.serverUrl.replace(/^http/, "ws")}/api/agent/v1/connect`, AGENT_PROTOCOL, {
    headers: { authorization: `Bearer ${credential}` },
  });
  let seq = 0;
  const heartbeat = () =>
    ws.readyState === WebSocket.OPEN &&
    ws.send(
      JSON.stringify({
        type: "heartbeat",
        seq: seq++,
        agentVersion: "0.1.0",
        openclawVersion: agent.version,
        gateway: { healthy: true, ready: true, startupVersion: agent.version },
        cpu: { load1: 0.1, cores: 2 },
        memory: { totalMb: 4096, availableMb: 2048 },
        disk: { totalMb: 50_000, freeMb: 40_000 },
        uptimeSec: 100,
      }),
    );
  const timer = setInterval(heartbeat, 500);
  ws.on("close", () => clearInterval(timer));
  ws.on("message", (raw) => {
    const frame = JSON.parse(String(raw)) as { type: string; id: string; name: string; args: Record<string, unknown> };
    if (frame.type === "welcome") return heartbeat();
    if (frame.type !== "command") return;
    // Support access state is sent to every agent on connect; this script is about updates.
    if (frame.name.startsWith("support.")) {
      ws.send(JSON.stringify({ type: "result", id: frame.id, ok: true, data: {} }));
      return;
    }
    agent.commands.push({ id: frame.id, name: frame.name, args: frame.args });
    const code = agent.script.fail?.[frame.name as keyof NonNullable<Script["fail"]>];
    let data: unknown;
    if (frame.name === "openclaw.backup" && !code) {
      agent.backups.push(`/var/lib/clawcloud-agent/backups/${agent.backups.length}.tar.gz`);
      data = { path: agent.backups.at(-1), bytes: 105_000 };
    } else if (frame.name === "openclaw.update") {
      const before = agent.version;
      // A failing updater restores the old package itself (OpenClaw's behaviour): the version stays.
      if (!code) agent.version = String(frame.args.version);
      data = { before, after: agent.version, status: "succeeded", reason: null };
    } else if (frame.name === "openclaw.restore" && !code) {
      agent.version = String(frame.args.version);
      data = { version: agent.version };
    } else if (frame.name === "openclaw.health" && !code) {
      const healthy = agent.version === frame.args.version && !agent.script.unhealthy?.includes(agent.version);
      data = healthy ? { ready: true, version: agent.version, waitedMs: 5 } : undefined;
    }
    const ok = !code && data !== undefined;
    const message = code ? `scripted failure: ${code}` : `runs ${agent.version}, not ${String(frame.args.version)}`;
    ws.send(
      JSON.stringify(
        ok
          ? { type: "result", id: frame.id, ok, data }
          : { type: "result", id: frame.id, ok, error: { code: code ?? "UNHEALTHY", message } },
      ),
    );
    heartbeat();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return agent;
}
