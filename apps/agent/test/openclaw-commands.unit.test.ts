// The update commands' parts that need no OpenClaw install: argument checks, the health wait
// against a gateway's probe endpoints (a stand-in HTTP server), and a missing install reported
// clearly. The commands against real OpenClaw: apps/server/test/updates-local.db.test.ts.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDispatcher, openclawCommands } from "../src/commands/index.ts";
import { configSchema } from "../src/config.ts";
import { createLogger } from "../src/log.ts";
import { lastJson } from "../src/openclaw-control.ts";

let gateway: Server;
let url: string;
const version = "2026.9.5";
let ready = false;

beforeAll(async () => {
  gateway = createServer((req, res) => {
    const ok = req.url === "/healthz" || (req.url === "/readyz" && ready) || req.url === "/startupz";
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
    res.end(req.url === "/startupz" ? JSON.stringify({ ok: true, status: "started", version }) : JSON.stringify({ ready }));
  });
  await new Promise<void>((r) => gateway.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => gateway.close(r)));

const ctx = { log: createLogger({ write: () => {} }), signal: new AbortController().signal };
const config = () => ({
  ...configSchema.parse({
    serverUrl: "http://127.0.0.1:1",
    instanceId: `ins_${"0".repeat(26)}`,
    stateDir: "/tmp/cc-agent-x",
    gatewayUrl: url,
  }),
  configPath: "/tmp/cc-agent-x/config.json",
});
const installed = { read: async () => version };

describe("update commands", () => {
  it("waits for the gateway to be ready on the expected version", async () => {
    const d = createDispatcher(openclawCommands(config(), installed));
    ready = false;
    setTimeout(() => {
      ready = true;
    }, 1500);
    const r = await d.dispatch({ id: "h1", name: "openclaw.health", args: { version: "2026.9.5", timeoutSec: 10 } }, ctx);
    expect(r).toMatchObject({ ok: true, data: { ready: true, version: "2026.9.5" } });
    const wrong = await d.dispatch({ id: "h2", name: "openclaw.health", args: { version: "2026.9.6", timeoutSec: 2 } }, ctx);
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: "UNHEALTHY", message: expect.stringMatching(/runs 2026\.9\.5, not 2026\.9\.6/) },
    });
  });

  it("refuses bad arguments and says when there is no OpenClaw install configured", async () => {
    const d = createDispatcher(openclawCommands(config(), installed));
    expect(await d.dispatch({ id: "u1", name: "openclaw.update", args: { version: "latest" } }, ctx)).toMatchObject({
      ok: false,
      error: { code: "INVALID_ARGS" },
    });
    expect(await d.dispatch({ id: "r1", name: "openclaw.restore", args: { version: "2026.9.5" } }, ctx)).toMatchObject({
      ok: false,
      error: { code: "INVALID_ARGS" },
    });
    expect(await d.dispatch({ id: "b1", name: "openclaw.backup", args: {} }, ctx)).toMatchObject({
      ok: false,
      error: { code: "NOT_CONFIGURED" },
    });
  });

  it("reads the updater's JSON result from mixed output", () => {
    expect(lastJson('{"status":"failed","reason":"doctor-failed"}')).toEqual({ status: "failed", reason: "doctor-failed" });
    expect(lastJson('staging…\n{"status":"succeeded"}\n')).toEqual({ status: "succeeded" });
    expect(lastJson("no json here")).toBeUndefined();
  });
});
