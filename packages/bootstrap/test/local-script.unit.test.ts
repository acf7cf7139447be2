// Runs the rendered local install script for real, with a fake npm and a fake OpenClaw (the real
// install takes ~70 s and 650 MB; the lead's end-to-end test does that). Checks the markers, the
// files it writes, idempotence, failures with reasons, and that no secret reaches a command line.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapSteps, type LocalInstallInput, parseStepLine, renderLocalInstall } from "../src/index.ts";
import { VALID_LOCAL } from "./helpers.ts";

// The fakes run with the script's cleared environment, so they find their settings in
// fake.json next to the install dir: { log, openclaw, npmFail }. Every call is appended to the log
// (argv and environment).

// npm-cli.js stand-in: `install -g --prefix P … openclaw@V` lays out a package whose bin is the
// fake OpenClaw below.
const FAKE_NPM = `
const fs = require("node:fs"), path = require("node:path");
const args = process.argv.slice(2);
const prefix = args[args.indexOf("--prefix") + 1];
const fake = JSON.parse(fs.readFileSync(path.join(prefix, "..", "..", "fake.json"), "utf8"));
fs.appendFileSync(fake.log, JSON.stringify({ tool: "npm", argv: args, env: process.env }) + "\\n");
if (fake.npmFail) { console.error("npm error code E500"); process.exit(1); }
const spec = args.find((a) => a.startsWith("openclaw@"));
const pkg = path.join(prefix, "lib/node_modules/openclaw");
fs.mkdirSync(pkg, { recursive: true });
fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "openclaw", version: spec.slice("openclaw@".length) }));
fs.copyFileSync(fake.openclaw, path.join(pkg, "openclaw.mjs"));
fs.chmodSync(path.join(pkg, "openclaw.mjs"), 0o755);
fs.mkdirSync(path.join(prefix, "bin"), { recursive: true });
fs.rmSync(path.join(prefix, "bin/openclaw"), { force: true });
fs.symlinkSync("../lib/node_modules/openclaw/openclaw.mjs", path.join(prefix, "bin/openclaw"));
console.log("added 1 package");
`;

// openclaw stand-in: onboard writes a config like the real one (a 192-bit token), config patch
// --stdin merges a JSON patch into it.
const FAKE_OPENCLAW = `#!/usr/bin/env node
import fs from "node:fs";
import path from "node:path";
const args = process.argv.slice(2);
const fake = JSON.parse(fs.readFileSync(path.join(process.env.HOME, "..", "..", "fake.json"), "utf8"));
const stdin = args.includes("--stdin") ? fs.readFileSync(0, "utf8") : "";
fs.appendFileSync(fake.log, JSON.stringify({ tool: "openclaw", argv: args, env: process.env }) + "\\n");
const file = path.join(process.env.OPENCLAW_STATE_DIR, "openclaw.json");
const merge = (a, b) => { for (const [k, v] of Object.entries(b)) a[k] = v && typeof v === "object" && !Array.isArray(v) ? merge(a[k] ?? {}, v) : v; return a; };
if (args[0] === "onboard") {
  const port = Number(args[args.indexOf("--gateway-port") + 1]);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: "ab".repeat(24) } } }), { mode: 0o600 });
  console.log(JSON.stringify({ ok: true }));
} else if (args[0] === "config" && args[1] === "patch") {
  fs.writeFileSync(file, JSON.stringify(merge(JSON.parse(fs.readFileSync(file, "utf8")), JSON.parse(stdin))));
  console.log("Applied config update(s).");
} else {
  process.exit(2);
}
`;

const BUNDLE = "// the agent bundle\nconsole.log('agent');\n";
const BUNDLE_SHA = createHash("sha256").update(BUNDLE).digest("hex");

let root: string;
let server: Server;
let bundleUrl: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "cc-local-"));
  writeFileSync(join(root, "npm-cli.js"), FAKE_NPM);
  writeFileSync(join(root, "openclaw.mjs"), FAKE_OPENCLAW);
  chmodSync(join(root, "openclaw.mjs"), 0o755);
  server = createServer((req, res) => {
    if (req.url === "/agent.js") res.end(BUNDLE);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  bundleUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/agent.js`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  steps: ReturnType<typeof parseStepLine>[];
  calls: { tool: string; argv: string[]; env: Record<string, string> }[];
}

function install(
  name: string,
  overrides: Partial<LocalInstallInput> = {},
  fake: { npmFail?: boolean } = {},
): { run: () => Promise<Run>; dir: string } {
  const dir = join(root, name, "install dir");
  const logFile = join(root, name, "calls.jsonl");
  mkdirSync(join(root, name), { recursive: true });
  const input: LocalInstallInput = {
    ...VALID_LOCAL,
    agentBundleUrl: bundleUrl,
    agentBundleSha256: BUNDLE_SHA,
    installDir: dir,
    nodePath: process.execPath,
    npmCliPath: join(root, "npm-cli.js"),
    ...overrides,
  };
  const { script } = renderLocalInstall(input);
  const scriptFile = join(root, name, "install.sh");
  writeFileSync(scriptFile, script);
  writeFileSync(join(root, name, "fake.json"), JSON.stringify({ log: logFile, openclaw: join(root, "openclaw.mjs"), ...fake }));
  return {
    dir,
    // Asynchronous: the agent bundle is served from this process.
    run: async () => {
      const child = spawn("bash", [scriptFile], {
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          PATH: "/usr/bin:/bin",
          UNRELATED_SECRET: "do-not-pass",
          HTTPS_PROXY: "http://proxy.corp.example:3128",
          NO_PROXY: "127.0.0.1",
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
      const r = { status, stdout, stderr };
      const calls = existsSync(logFile)
        ? readFileSync(logFile, "utf8")
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l))
        : [];
      return {
        status: r.status,
        stdout: r.stdout,
        stderr: r.stderr,
        steps: r.stdout.split("\n").map(parseStepLine).filter(Boolean),
        calls,
      };
    },
  };
}

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));

describe("the local install script", { timeout: 60_000 }, () => {
  it("runs every local step, writes OpenClaw's config and the agent's, and is idempotent", async () => {
    const { run, dir } = install("happy", { mirrors: { npmRegistry: "https://npm.corp.example" }, npmCacheDir: join(root, "npm-cache") });
    const first = await run();
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const expected = bootstrapSteps("local").flatMap((s) => [`${s.name} start`, `${s.name} ok`]);
    expect(first.steps.map((s) => `${s?.step} ${s?.status}`)).toEqual(expected);

    const oc = readJson(join(dir, "home/.openclaw/openclaw.json"));
    expect(oc.gateway).toMatchObject({ mode: "local", bind: "loopback", port: 18999, auth: { mode: "token" } });
    expect(oc.gateway.auth.token).toMatch(/^[0-9a-f]{64}$/);
    expect(oc.gateway.http.endpoints.chatCompletions.enabled).toBe(true);
    expect(oc.update.auto.enabled).toBe(false);
    expect(oc.logging.file).toBe(join(dir, "home/.openclaw/logs/openclaw.log"));

    const agentConfig = join(dir, "agent/config.json");
    expect(statSync(agentConfig).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readJson(agentConfig)).toEqual({
      version: 1,
      instanceId: VALID_LOCAL.instanceId,
      serverUrl: VALID_LOCAL.serverUrl,
      registrationToken: VALID_LOCAL.registrationToken,
      stateDir: join(dir, "agent/state"),
      bootstrapProgressFile: join(dir, "progress.jsonl"),
      gateway: { url: "http://127.0.0.1:18999", token: oc.gateway.auth.token },
      openclaw: { home: join(dir, "home"), bin: join(dir, "openclaw/bin/openclaw"), version: "2026.9.6", supervisor: "external" },
      // Support access on this machine: a key file in the instance directory, no sshd, no firewall.
      support: { authorizedKeysFile: join(dir, "ssh/authorized_keys") },
    });
    expect(readFileSync(join(dir, "agent/clawcloud-agent.mjs"), "utf8")).toBe(BUNDLE);

    // npm: the exact version, its own prefix, the mirror, the shared cache; .npmrc keeps the mirror.
    const npm = first.calls.filter((c) => c.tool === "npm");
    expect(npm).toHaveLength(1);
    expect(npm[0]?.argv).toEqual([
      "install",
      "-g",
      "--prefix",
      join(dir, "openclaw"),
      "--no-audit",
      "--no-fund",
      "--registry",
      "https://npm.corp.example",
      "openclaw@2026.9.6",
    ]);
    expect(npm[0]?.env.npm_config_cache).toBe(join(root, "npm-cache"));
    expect(npm[0]?.env.HOME).toBe(join(dir, "home"));
    expect(readFileSync(join(dir, "home/.npmrc"), "utf8")).toContain("registry=https://npm.corp.example\n");

    // Onboarding flags, and no secret on any command line or in OpenClaw's environment.
    const onboard = first.calls.find((c) => c.tool === "openclaw" && c.argv[0] === "onboard");
    expect(onboard?.argv).toEqual(
      expect.arrayContaining([
        "--non-interactive",
        "--accept-risk",
        "--mode",
        "local",
        "--auth-choice",
        "skip",
        "--gateway-bind",
        "loopback",
        "--gateway-auth",
        "token",
        "--skip-health",
      ]),
    );
    for (const call of first.calls) {
      const text = JSON.stringify(call);
      expect(text).not.toContain(oc.gateway.auth.token);
      expect(text).not.toContain(VALID_LOCAL.registrationToken);
      expect(call.env.OPENCLAW_SERVICE_REPAIR_POLICY).toBe("external");
      expect(call.env.UNRELATED_SECRET).toBeUndefined();
      expect(call.env.HTTPS_PROXY).toBe("http://proxy.corp.example:3128");
    }

    // The progress file the agent forwards ends with the overall result.
    const progress = readFileSync(join(dir, "progress.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(progress.at(-1)).toEqual({ name: "bootstrap", status: "ok" });
    expect(progress.filter((p) => p.status === "ok").map((p) => p.name)).toEqual([
      ...bootstrapSteps("local").map((s) => s.name),
      "bootstrap",
    ]);

    // Again: nothing is reinstalled, the token stays.
    const second = await run();
    expect(second.status).toBe(0);
    expect(second.calls.filter((c) => c.tool === "npm")).toHaveLength(1);
    expect(second.stdout).toContain("clawcloud-step: openclaw-install ok openclaw 2026.9.6 already installed");
    expect(second.stdout).toContain("clawcloud-step: openclaw-onboard ok already onboarded");
    expect(second.stdout).toContain("clawcloud-step: agent-install ok already installed");
    expect(readJson(join(dir, "home/.openclaw/openclaw.json")).gateway.auth.token).toBe(oc.gateway.auth.token);
  });

  it("stops at a wrong agent bundle checksum, with the reason, and installs nothing", async () => {
    const { run, dir } = install("bad-sha", { agentBundleSha256: "0".repeat(64) });
    const r = await run();
    expect(r.status).toBe(1);
    expect(r.steps.at(-1)).toEqual({
      step: "agent-install",
      status: "failed",
      message: `agent bundle checksum mismatch: expected sha256 ${"0".repeat(64)}, got ${BUNDLE_SHA}; refusing to use it`,
    });
    expect(r.stderr).toContain('bootstrap failed at step "agent-install"');
    expect(existsSync(join(dir, "agent/clawcloud-agent.mjs"))).toBe(false);
    expect(r.calls).toEqual([]);
    const progress = readFileSync(join(dir, "progress.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(progress.at(-1)).toMatchObject({ name: "bootstrap", status: "failed" });
    expect(progress.at(-1).message).toMatch(/^agent-install: agent bundle checksum mismatch/);
  });

  it("reports a failed npm install with its step and shows the end of the log", async () => {
    const { run } = install("npm-fails", {}, { npmFail: true });
    const r = await run();
    expect(r.status).toBe(1);
    expect(r.steps.map((s) => `${s?.step} ${s?.status}`)).toEqual([
      "preflight start",
      "preflight ok",
      "agent-install start",
      "agent-install ok",
      "openclaw-install start",
      "openclaw-install failed",
    ]);
    expect(r.steps.at(-1)?.message).toBe("npm install -g openclaw@2026.9.6 failed (exit 1)");
    expect(r.stderr).toContain("npm error code E500");
  });

  it("refuses a Node older than OpenClaw needs", async () => {
    const old = join(root, "old-node-22");
    writeFileSync(
      old,
      `#!/bin/bash\nif [ "$1" = --version ]; then echo v22.1.0; exit 0; fi\nexec ${JSON.stringify(process.execPath)} "$@"\n`,
    );
    chmodSync(old, 0o755);
    // A node that claims to be 22 for every check.
    writeFileSync(old, `#!/bin/bash\nif [ "$1" = --version ]; then echo v22.1.0; exit 0; fi\nexit 1\n`);
    chmodSync(old, 0o755);
    const { run } = install("old-node", { nodePath: old });
    const r = await run();
    expect(r.status).toBe(1);
    expect(r.steps.at(-1)).toEqual({
      step: "preflight",
      status: "failed",
      message: "node v22.1.0 is too old for OpenClaw (needs >=24.16 <25 or >=26.1)",
    });
  });
});
