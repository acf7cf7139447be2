// The bundle is what runs on a VPS: one file, started with plain `node`, verified by its sha256.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { access, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { heartbeatSchema } from "@clawcloud/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_ROOT, BUNDLE_NAME, buildAgent } from "../scripts/build.ts";
import { EXIT_CONFIG } from "../src/exit-codes.ts";
import { FAST_TUNING, INSTANCE_ID } from "./support/agent-harness.ts";
import { FakeGateway } from "./support/fake-gateway.ts";
import { FakeServer } from "./support/fake-server.ts";
import { waitFor } from "./support/wait.ts";

const DIST_FILE = join(AGENT_ROOT, "dist", BUNDLE_NAME);

describe("bundle", () => {
  let dir: string;
  let server: FakeServer;
  let gateway: FakeGateway;
  let fresh: { file: string; sha256: string };
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const built = await access(DIST_FILE).then(
      () => true,
      () => false,
    );
    if (!built) await buildAgent();
    dir = await mkdtemp(join(tmpdir(), "clawcloud-agent-bundle-"));
    // The processes below run a fresh build, so a stale dist/ cannot hide a change in src/.
    fresh = await buildAgent(join(dir, "build-a"));
    server = await FakeServer.start({ heartbeatIntervalSec: 1 });
    gateway = await FakeGateway.start();
    gateway.ready = true;
  }, 60_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await server.close();
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the bundle from a directory of its own (no package.json around it, as on a VPS). */
  async function run(name: string, config: Record<string, unknown>) {
    const home = join(dir, name);
    await mkdir(home, { recursive: true });
    await copyFile(fresh.file, join(home, BUNDLE_NAME));
    const configPath = join(home, "config.json");
    await writeFile(
      configPath,
      JSON.stringify({ instanceId: INSTANCE_ID, stateDir: join(home, "state"), tuning: FAST_TUNING, ...config }),
      {
        mode: 0o600,
      },
    );
    const child = spawn(process.execPath, [BUNDLE_NAME], {
      cwd: home,
      env: { PATH: process.env.PATH ?? "", CLAWCLOUD_AGENT_CONFIG: configPath },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, exited, out: () => stdout, err: () => stderr };
  }

  it("exists in dist/ with its sha256 next to it", async () => {
    const bytes = await readFile(DIST_FILE);
    expect(await readFile(`${DIST_FILE}.sha256`, "utf8")).toBe(createHash("sha256").update(bytes).digest("hex"));
  });

  it("builds deterministically: the same sources give the same bytes and sha256", async () => {
    const a = fresh;
    const b = await buildAgent(join(dir, "build-b"));
    expect(a.sha256).toBe(b.sha256);
    const bytes = await readFile(a.file);
    expect(bytes.equals(await readFile(b.file))).toBe(true);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(a.sha256);
    expect(await readFile(`${a.file}.sha256`, "utf8")).toMatch(/^[0-9a-f]{64}$/);
    expect(await readFile(`${a.file}.sha256`, "utf8")).toBe(a.sha256);
    // Self-contained: no absolute build paths, nothing required from node_modules at runtime.
    const text = bytes.toString("utf8");
    expect(text).not.toContain(AGENT_ROOT);
    expect(text).not.toMatch(/require\("(ws|zod|bufferutil|utf-8-validate)"\)/);
  }, 60_000);

  it("starts with plain node, registers, heartbeats, and keeps secrets off stdout", async () => {
    const token = server.issueToken(INSTANCE_ID);
    const agent = await run("ok", { serverUrl: server.url, registrationToken: token, gatewayUrl: gateway.url, heartbeatIntervalSec: 0.05 });
    const beat = await waitFor(() => server.heartbeats()[1], "two heartbeats from the bundled agent", 30_000);
    expect(heartbeatSchema.safeParse(beat).success).toBe(true);
    expect(beat.gateway).toEqual({ healthy: true, ready: true, startupVersion: "2026.9.6" });

    agent.child.kill("SIGTERM");
    expect(await agent.exited).toBe(0);
    const lines = agent
      .out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["agent_start", "registered", "connected", "agent_stop"]));
    const credential = server.issuedCredentials[0] ?? "missing";
    for (const output of [agent.out(), agent.err()]) {
      expect(output).not.toContain(token);
      expect(output).not.toContain(credential);
    }
    expect(agent.err()).toBe("");
    expect(server.protocolViolations).toEqual([]);
  }, 60_000);

  it("exits 78 when its token is spent", async () => {
    const token = server.issueToken(INSTANCE_ID);
    const first = await run("first", { serverUrl: server.url, registrationToken: token, gatewayUrl: gateway.url });
    await waitFor(() => first.out().includes('"msg":"connected"'), "first agent connected", 30_000);
    first.child.kill("SIGTERM");
    await first.exited;

    const second = await run("spent", { serverUrl: server.url, registrationToken: token, gatewayUrl: gateway.url });
    expect(await second.exited).toBe(EXIT_CONFIG);
    expect(second.out()).toContain('"msg":"registration_rejected"');
    expect(second.out()).not.toContain(token);
  }, 60_000);
});
