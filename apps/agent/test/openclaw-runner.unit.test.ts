// The one OpenClaw CLI runner, against a stand-in `openclaw` (a small Node script): what reaches
// the process (stdin, arguments, only the allowed environment), how it fails (exit code, timeout,
// abort, too much output, a process that ignores its input), and model.set through it with the
// key going in on stdin and never coming out in logs or results.
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PASSTHROUGH_ENV, seal } from "@clawcloud/contracts";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type StubLlm, startStubLlm } from "../../../test-support/stub-llm.ts";
import { builtinCommands, createDispatcher } from "../src/commands/index.ts";
import { type AgentConfig, configSchema } from "../src/config.ts";
import { loadOrCreateKeys } from "../src/keys.ts";
import { createLogger } from "../src/log.ts";
import { createOpenclawRunner, MAX_OUTPUT_BYTES } from "../src/openclaw-runner.ts";

// CommonJS on purpose: the temp directory has no package.json.
const FAKE_OPENCLAW = `#!/usr/bin/env node
const fs = require("node:fs");
const mode = process.argv[2];
if (mode === "echo") {
  const input = fs.readFileSync(0);
  const sha256 = require("node:crypto").createHash("sha256").update(input).digest("hex");
  const env = Object.fromEntries(Object.keys(process.env).map((k) => [k, process.env[k]]));
  process.stdout.write(JSON.stringify({ args: process.argv.slice(2), stdinBytes: input.length, sha256, env, node: process.execPath }));
} else if (mode === "config") {
  const input = fs.readFileSync(0, "utf8");
  if (fs.existsSync(process.env.HOME + "/refuse")) {
    process.stderr.write("invalid config: " + input + "\\n");
    process.exit(1);
  }
  fs.writeFileSync(process.env.HOME + "/patch.json", input);
  fs.writeFileSync(process.env.HOME + "/args.json", JSON.stringify(process.argv.slice(2)));
} else if (mode === "fail") {
  process.stderr.write("line 1\\nit went wrong\\n");
  process.exit(3);
} else if (mode === "sleep") {
  setTimeout(() => {}, 30000);
} else if (mode === "flood") {
  process.stdout.write("x".repeat(${MAX_OUTPUT_BYTES} + 1024));
}
// any other mode: exit at once without reading stdin
`;

let dir: string;
let config: AgentConfig;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "clawcloud-runner-"));
  const bin = join(dir, "prefix/bin/openclaw");
  await mkdir(join(dir, "prefix/bin"), { recursive: true });
  await mkdir(join(dir, "home"));
  await mkdir(join(dir, "state"));
  await writeFile(bin, FAKE_OPENCLAW, { mode: 0o755 });
  await chmod(bin, 0o755);
  config = {
    ...configSchema.parse({
      serverUrl: "http://127.0.0.1:1",
      instanceId: `ins_${"0".repeat(26)}`,
      stateDir: join(dir, "state"),
      openclawBin: bin,
      openclawHome: join(dir, "home"),
      supervisor: "external",
    }),
    configPath: join(dir, "config.json"),
  };
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

interface Echo {
  args: string[];
  stdinBytes: number;
  sha256: string;
  env: Record<string, string>;
  node: string;
}

describe("the OpenClaw CLI runner", () => {
  it("passes stdin, the arguments as given and only the allowed environment", async () => {
    vi.stubEnv("HTTPS_PROXY", "http://proxy.test:3128");
    vi.stubEnv("CLAWCLOUD_RUNNER_CANARY", "must-not-pass");
    const input = `{"apiKey":"é-${"k".repeat(300_000)}"}`;
    const r = await createOpenclawRunner(config).cli(["echo", "a b", "$(touch /tmp/x)", "--json"], { timeoutMs: 10_000, stdin: input });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Echo;
    expect(out.args).toEqual(["echo", "a b", "$(touch /tmp/x)", "--json"]);
    expect(out.stdinBytes).toBe(Buffer.byteLength(input));
    expect(out.sha256).toBe(createHash("sha256").update(input).digest("hex"));
    const passed = PASSTHROUGH_ENV.filter((k) => process.env[k]);
    const expected = [
      "HOME",
      "LANG",
      "NO_COLOR",
      "OPENCLAW_NO_AUTO_UPDATE",
      "OPENCLAW_SERVICE_REPAIR_POLICY",
      "OPENCLAW_STATE_DIR",
      "PATH",
      "npm_config_prefix",
      ...passed,
      ...(process.env.TMPDIR ? ["TMPDIR"] : []),
    ];
    expect(Object.keys(out.env).sort()).toEqual(expected.sort());
    expect(out.env.HTTPS_PROXY).toBe("http://proxy.test:3128");
    expect(out.env.HOME).toBe(join(dir, "home"));
    expect(out.env.OPENCLAW_STATE_DIR).toBe(join(dir, "home/.openclaw"));
    // `#!/usr/bin/env node` finds the agent's own Node.
    expect(out.node).toBe(process.execPath);
  });

  it("closes stdin when there is no input, and lets a call override HOME", async () => {
    const r = await createOpenclawRunner(config).cli(["echo"], { timeoutMs: 10_000, env: { HOME: join(dir, "empty") } });
    const out = JSON.parse(r.stdout) as Echo;
    expect(out.stdinBytes).toBe(0);
    expect(out.env.HOME).toBe(join(dir, "empty"));
  });

  it("returns the exit code and stderr of a failed run", async () => {
    const r = await createOpenclawRunner(config).cli(["fail"], { timeoutMs: 10_000 });
    expect(r).toEqual({ code: 3, stdout: "", stderr: "line 1\nit went wrong\n" });
  });

  it("survives a process that exits without reading its input", async () => {
    const r = await createOpenclawRunner(config).cli(["ignore"], { timeoutMs: 10_000, stdin: "z".repeat(4 * 1024 * 1024) });
    expect(r.code).toBe(0);
  });

  it("stops a process at its timeout, on abort, and past the output cap, saying why without the command line", async () => {
    const runner = createOpenclawRunner(config);
    const slow = await runner.cli(["sleep"], { timeoutMs: 300 });
    expect(slow).toMatchObject({ code: 1, stderr: "openclaw was stopped after 0 s (timeout)" });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const aborted = await runner.cli(["sleep"], { timeoutMs: 10_000, signal: abort.signal });
    expect(aborted).toMatchObject({ code: 1, stderr: "openclaw was stopped: the agent is stopping" });
    const flood = await runner.cli(["flood"], { timeoutMs: 10_000 });
    expect(flood.code).toBe(1);
    expect(flood.stderr).toBe(`openclaw was stopped: more than ${MAX_OUTPUT_BYTES} bytes of output`);
  });

  it("says when the config names no OpenClaw install", () => {
    expect(() => createOpenclawRunner({ ...config, openclawHome: undefined })).toThrow(expect.objectContaining({ code: "NOT_CONFIGURED" }));
  });
});

describe("model.set through the runner", () => {
  const KEY = "sk-runner-test-key-0123456789";
  let stub: StubLlm;
  beforeAll(async () => {
    stub = await startStubLlm({ apiKey: KEY });
  });
  afterAll(() => stub.close());

  const setModel = async (id: string) => {
    const { keys } = await loadOrCreateKeys(config.stateDir);
    const secret = Buffer.from(JSON.stringify({ baseUrl: stub.baseUrl, apiKey: KEY, model: "stub-echo" }));
    const sealed = Buffer.from(seal(secret, Buffer.from(keys.publicKeyBase64, "base64"))).toString("base64");
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), level: "debug" });
    const d = createDispatcher(builtinCommands, { config, keys });
    const result = await d.dispatch({ id, name: "model.set", args: { sealed } }, { log, signal: new AbortController().signal });
    return { result, logs: lines.join("") };
  };

  it("hands the key to `openclaw config patch` on stdin only", async () => {
    const { result, logs } = await setModel("m1");
    expect(result).toMatchObject({ ok: true, data: { applied: true, model: { model: "stub-echo" } } });
    const patch = JSON.parse(await readFile(join(dir, "home/patch.json"), "utf8"));
    expect(patch.models.providers.clawcloud.apiKey).toBe(KEY);
    const args = await readFile(join(dir, "home/args.json"), "utf8");
    expect(JSON.parse(args)).toEqual([
      "config",
      "patch",
      "--stdin",
      "--replace-path",
      "models.providers.clawcloud",
      "--replace-path",
      "agents.defaults.models",
    ]);
    expect(JSON.stringify(result) + logs).not.toContain(KEY);
  });

  it("reports OpenClaw's refusal with the key redacted", async () => {
    await writeFile(join(dir, "home/refuse"), "");
    try {
      const { result, logs } = await setModel("m2");
      expect(result).toMatchObject({
        ok: false,
        error: { code: "OPENCLAW_CONFIG_FAILED", message: expect.stringMatching(/^OpenClaw refused the model settings: invalid config: /) },
      });
      expect(result.error?.message).toContain("[redacted]");
      expect(JSON.stringify(result) + logs).not.toContain(KEY);
    } finally {
      await rm(join(dir, "home/refuse"));
    }
  });
});
