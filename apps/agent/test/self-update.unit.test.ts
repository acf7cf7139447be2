// The agent's self-update on its own: staging (download from the server's one path, sha256, smoke
// test), the hand-over's trial (only a new bundle that confirms its connection is swapped in), and
// the `agent.update` command's answers. The bundles here are tiny scripts that behave like a good
// or a broken bundle; the end-to-end run with real bundles is apps/server/test/agent-self-update.db.test.ts.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AGENT_BUNDLE_PATH } from "@clawcloud/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentUpdateCommand } from "../src/commands/agent-update.ts";
import type { CommandContext, SelfUpdateHost } from "../src/commands/command.ts";
import { type AgentConfig, configSchema } from "../src/config.ts";
import { createLogger } from "../src/log.ts";
import { bundleFiles, readHandoverResult } from "../src/self-update/bundle-files.ts";
import { handover } from "../src/self-update/handover.ts";
import { stageBundle } from "../src/self-update/stage.ts";

const log = createLogger({ write: () => {} });
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
/** A "bundle" that prints its version, and on --trial does `trial` (a JS statement). */
const script = (version: string, trial: string) =>
  `// clawcloud-agent ${version}\nconst a = process.argv;\nif (a.includes("--version")) console.log(${JSON.stringify(version)});\n` +
  `else { const file = a[a.indexOf("--trial") + 1]; ${trial} }\n`;
const GOOD = script("1.0.1", `require("node:fs").writeFileSync(file, "ok 1.0.1\\n");`);
const CRASHES = script("1.0.1", "process.exit(4);");
const HANGS = script("1.0.1", "setInterval(() => {}, 1000);");
const SILENT = script("1.0.1", "process.exit(0);");
const OLD = script("1.0.0", "process.exit(0);");

let served = GOOD;
let server: Server;
let serverUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url !== AGENT_BUNDLE_PATH) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/javascript" }).end(served);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A directory with the running bundle (`OLD`) and a state directory; `.cjs` so the scripts may require(). */
function install() {
  const dir = mkdtempSync(join(tmpdir(), "cc-self-update-"));
  mkdirSync(join(dir, "state"));
  const current = join(dir, "clawcloud-agent.cjs");
  writeFileSync(current, OLD);
  return { dir, files: bundleFiles(current, join(dir, "state")) };
}

const stage = (files: ReturnType<typeof bundleFiles>, sha256: string, version = "1.0.1") =>
  stageBundle({ serverUrl, files, version, sha256, nodePath: process.execPath, signal: new AbortController().signal });

describe("staging a new bundle", () => {
  it("downloads it from the server's bundle path, checks its sha256 and that it starts as the expected version", async () => {
    served = GOOD;
    const { files } = install();
    await stage(files, sha(GOOD));
    expect(readFileSync(files.next, "utf8")).toBe(GOOD);
    expect(requests.at(-1)).toBe(AGENT_BUNDLE_PATH);
    expect(readFileSync(files.current, "utf8")).toBe(OLD);
  });

  it("refuses a bundle whose sha256 is not the one asked for, and changes nothing", async () => {
    served = GOOD;
    const { files } = install();
    await expect(stage(files, sha("something else"))).rejects.toMatchObject({ code: "AGENT_UPDATE_CHECKSUM" });
    expect(existsSync(files.next)).toBe(false);
  });

  it("refuses a bundle that does not start, or names another version", async () => {
    served = "this is not javascript (";
    const { files } = install();
    await expect(stage(files, sha(served))).rejects.toMatchObject({ code: "AGENT_UPDATE_SMOKE", message: /does not start/ });
    expect(existsSync(files.next)).toBe(false);
    served = GOOD;
    await expect(stage(files, sha(GOOD), "1.0.2")).rejects.toMatchObject({ code: "AGENT_UPDATE_SMOKE", message: /calls itself "1\.0\.1"/ });
    expect(existsSync(files.next)).toBe(false);
  });
});

describe("the hand-over", () => {
  const run = async (bundle: string, trialTimeoutMs = 10_000) => {
    const { files } = install();
    writeFileSync(files.next, bundle);
    const outcome = await handover({
      files,
      nodePath: process.execPath,
      configPath: "/nonexistent/config.json",
      operation: "opr_1",
      version: "1.0.1",
      log,
      trialTimeoutMs,
    });
    return { files, outcome };
  };

  it("swaps in a bundle whose trial confirmed its connection, keeping the old one", async () => {
    const { files, outcome } = await run(GOOD);
    expect(outcome).toEqual({ swapped: true });
    expect(readFileSync(files.current, "utf8")).toBe(GOOD);
    expect(readFileSync(files.previous, "utf8")).toBe(OLD);
    expect(existsSync(files.next)).toBe(false);
    expect(await readHandoverResult(files.result)).toBeUndefined();
  });

  it.each([
    ["crashes at start", CRASHES, /exited with code 4 before it connected/],
    ["never connects", HANGS, /did not connect within 1 s/],
    ["exits without confirming", SILENT, /stopped without confirming its connection/],
  ])("keeps the old bundle when the new one %s, and records why", async (_what, bundle, reason) => {
    const { files, outcome } = await run(bundle, 1_000);
    expect(outcome).toMatchObject({ swapped: false, reason: expect.stringMatching(reason) });
    expect(readFileSync(files.current, "utf8")).toBe(OLD);
    expect(existsSync(files.next)).toBe(false);
    expect(await readHandoverResult(files.result)).toMatchObject({ operation: "opr_1", version: "1.0.1", status: "failed" });
  });
});

describe("the agent.update command", () => {
  const config = (stateDir: string) =>
    ({ ...configSchema.parse({ serverUrl, instanceId: `ins_${"a".repeat(26)}`, stateDir }), configPath: "/x" }) as AgentConfig;
  const host = (bundlePath: string, tasks: (() => Promise<void>)[]): SelfUpdateHost => ({
    bundlePath,
    handingOver: () => tasks.length > 0,
    handOver: (task) => void tasks.push(task),
  });
  const ctxFor = (files: ReturnType<typeof bundleFiles>, tasks: (() => Promise<void>)[], trial = false): CommandContext => ({
    log,
    signal: new AbortController().signal,
    agent: { config: config(join(files.result, "..")), keys: {} as never, self: host(files.current, tasks), trial },
  });
  const args = { version: "1.0.1", sha256: sha(GOOD), operation: "opr_1" };
  const command = agentUpdateCommand({ version: "1.0.0" });

  it("stages, schedules the hand-over after answering, and says how it went when asked again", async () => {
    served = GOOD;
    const { files } = install();
    const tasks: (() => Promise<void>)[] = [];
    expect(await command.execute(args, ctxFor(files, tasks))).toEqual({ status: "restarting", version: "1.0.0" });
    expect(tasks).toHaveLength(1);
    expect(await command.execute(args, ctxFor(files, tasks))).toEqual({ status: "in_progress", version: "1.0.0" });
    await tasks[0]?.();
    expect(readFileSync(files.current, "utf8")).toBe(GOOD);
    // The new version answers `current` (not while it is on trial).
    const running = agentUpdateCommand({ version: "1.0.1" });
    expect(await running.execute(args, ctxFor(files, [], true))).toEqual({ status: "in_progress", version: "1.0.1" });
    expect(await running.execute(args, ctxFor(files, []))).toEqual({ status: "current", version: "1.0.1" });
  });

  it("reports a failed trial to the operation that asked, and tries again for a new one", async () => {
    served = CRASHES;
    const { files } = install();
    const tasks: (() => Promise<void>)[] = [];
    const crashing = { ...args, sha256: sha(CRASHES) };
    await command.execute(crashing, ctxFor(files, tasks));
    await tasks[0]?.();
    await expect(command.execute(crashing, ctxFor(files, []))).rejects.toMatchObject({
      code: "AGENT_UPDATE_FAILED",
      message: /Agent 1\.0\.1 did not take over \(the new agent exited with code 4 before it connected\); agent 1\.0\.0 runs again/,
    });
    expect(await command.execute({ ...crashing, operation: "opr_2" }, ctxFor(files, []))).toMatchObject({ status: "restarting" });
  });

  it("refuses when the agent does not run from a bundle file", async () => {
    const ctx: CommandContext = { log, signal: new AbortController().signal };
    await expect(command.execute(args, ctx)).rejects.toMatchObject({ code: "AGENT_UPDATE_UNSUPPORTED" });
  });
});
