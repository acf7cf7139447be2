// The local driver with a fake install script and fake processes (no OpenClaw): steps reported
// from the script's output, the gateway and agent supervised and restarted, a clean environment,
// idempotent create, delete stopping everything and removing the directory, a failed install
// reported with its reason, and a new driver (a restarted server) replacing left-over processes.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LocalLayout, localLayout, type StepEvent } from "@clawcloud/bootstrap";
import { afterEach, describe, expect, it } from "vitest";
import { createLocalDriver, type LocalDriver, nodeSupported } from "../src/index.ts";

const ID = "ins_01hzzzzzzzzzzzzzzzzzzzzzzz";
const dirs: string[] = [];
const drivers: LocalDriver[] = [];
const strays: number[] = [];

afterEach(async () => {
  for (const d of drivers.splice(0)) {
    await d.deleteServer(ID).catch(() => {});
    await d.close();
  }
  for (const p of strays.splice(0)) {
    try {
      process.kill(p, "SIGKILL");
    } catch {}
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes the agent config like the real script, and prints step lines; `fail` makes it fail at openclaw-install. */
const script = (fail = false) => `#!/bin/bash
set -e
echo "clawcloud-step: preflight start"
echo "clawcloud-step: preflight ok node"
echo "clawcloud-step: openclaw-install start"
${fail ? 'echo "clawcloud-step: openclaw-install failed npm install failed (exit 1)"; exit 1' : ""}
mkdir -p agent
echo '{"instanceId":"x","serverUrl":"http://127.0.0.1:1","bootstrapProgressFile":"/x/progress.jsonl"}' > agent/config.json
echo "clawcloud-step: openclaw-install ok openclaw 2026.9.6"
echo "clawcloud-step: done ok"
`;

/** Each "process" records its environment and then sleeps (or exits at once, to be restarted). */
function fakeLayout(exitAtOnce = false) {
  return ({ installDir }: { installDir: string }): LocalLayout => {
    const proc = (name: string) => ({
      command: process.execPath,
      args: [
        "-e",
        `require("fs").writeFileSync(${JSON.stringify(join(installDir, `${name}.env`))}, JSON.stringify(process.env)); ${exitAtOnce ? "process.exit(3)" : "setInterval(() => {}, 1000)"}`,
      ],
      env: { HOME: join(installDir, "home"), PATH: "/usr/bin:/bin" },
      cwd: installDir,
    });
    return {
      ...localLayout({ installDir, nodePath: process.execPath, gatewayPort: 1024 }),
      gateway: proc("gateway"),
      agent: proc("agent"),
    };
  };
}

function driver(opts: { fail?: boolean; exitAtOnce?: boolean; baseDir?: string } = {}) {
  const baseDir = opts.baseDir ?? mkdtempSync(join(tmpdir(), "cc-local-"));
  if (!opts.baseDir) dirs.push(baseDir);
  const steps: StepEvent[] = [];
  const failures: string[] = [];
  const exits: { name: string; restartInMs: number }[] = [];
  const d = createLocalDriver({
    baseDir,
    npmCacheDir: join(baseDir, "npm-cache"),
    serverUrl: () => "http://127.0.0.1:4321",
    onStep: (_id, e) => steps.push(e),
    onInstallFailed: (_id, m) => failures.push(m),
    onProcessExit: (_id, name, info) => exits.push({ name, restartInMs: info.restartInMs }),
    layout: fakeLayout(opts.exitAtOnce),
    timings: { minBackoffMs: 50, maxBackoffMs: 200, stopGraceMs: 1000 },
  });
  drivers.push(d);
  const create = () => d.createServer({ instanceId: ID, render: () => ({ script: script(opts.fail) }) });
  return { d, baseDir, steps, failures, exits, create, dir: join(baseDir, ID) };
}

async function until(pred: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}
const pid = (dir: string, name: string) => Number(readFileSync(join(dir, "run", `${name}.pid`), "utf8"));
const alive = (p: number) => {
  try {
    process.kill(p, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the local driver", () => {
  it("installs, reports the steps, runs the gateway and the agent, and delete removes everything", async () => {
    const { d, steps, create, dir } = driver();
    const server = await create();
    expect(server).toMatchObject({ id: ID, instanceId: ID, status: "creating", ipv4: "127.0.0.1" });
    await until(() => d.running(ID) && existsSync(join(dir, "agent.env")) && existsSync(join(dir, "gateway.env")));
    expect(steps.map((s) => `${s.step} ${s.status}`)).toEqual([
      "preflight start",
      "preflight ok",
      "openclaw-install start",
      "openclaw-install ok",
      "done ok",
    ]);
    expect(steps[3]?.message).toBe("openclaw 2026.9.6");
    // The agent dials this server and does not forward the progress file again; it learns how
    // to hold the gateway down around an update (the supervisor's hold file) and where npm is.
    const config = JSON.parse(readFileSync(join(dir, "agent", "config.json"), "utf8"));
    expect(config).toEqual({
      instanceId: "x",
      serverUrl: "http://127.0.0.1:4321",
      gatewayPidFile: join(dir, "run", "gateway.pid"),
      gatewayHoldFile: join(dir, "run", "gateway.hold"),
      npmCli: expect.stringMatching(/npm-cli\.js$/),
    });
    // Only the environment the layout gives: nothing of this process's.
    const env = JSON.parse(readFileSync(join(dir, "agent.env"), "utf8"));
    expect(Object.keys(env).filter((k) => k !== "HOME" && k !== "PATH" && k !== "_" && !k.startsWith("NODE_"))).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, "instance.json"), "utf8")).gatewayPort).toBeGreaterThan(1023);
    expect(readFileSync(join(dir, "logs", "install.log"), "utf8")).toContain("clawcloud-step: done ok");

    expect(await create()).toMatchObject({ status: "running" }); // idempotent: no second install
    expect(steps).toHaveLength(5);
    expect(await d.findServersByTag()).toHaveLength(1);

    const pids = [pid(dir, "gateway"), pid(dir, "agent")];
    await d.deleteServer(ID);
    expect(pids.some(alive)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(await d.getServer(ID)).toBeUndefined();
    expect(await d.findServersByTag(ID)).toEqual([]);
    await d.deleteServer(ID); // gone already is fine
  });

  it("restarts a process that exits, with backoff", async () => {
    const { d, create, exits } = driver({ exitAtOnce: true });
    await create();
    await until(() => exits.filter((e) => e.name === "agent").length >= 4);
    expect(
      exits
        .filter((e) => e.name === "agent")
        .map((e) => e.restartInMs)
        .slice(0, 4),
    ).toEqual([50, 100, 200, 200]);
    await d.stop(ID);
    const count = exits.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(exits.length).toBe(count); // stopped: no more restarts
    expect(await d.getServer(ID)).toMatchObject({ status: "off" });
  });

  it("reports a failed install with the script's reason and starts nothing", async () => {
    const { d, failures, create, dir } = driver({ fail: true });
    await create();
    await until(() => failures.length > 0);
    expect(failures[0]).toMatch(/^Installing on this machine failed at openclaw-install: npm install failed \(exit 1\)/);
    expect(existsSync(join(dir, "installed"))).toBe(false);
    expect(d.running(ID)).toBe(false);
    expect(existsSync(join(dir, "gateway.env"))).toBe(false);
  });

  it("a new driver (a restarted server) replaces left-over processes and keeps the install", async () => {
    const first = driver();
    await first.create();
    await until(() => first.d.running(ID));
    await first.d.stop(ID);
    // What a crashed server leaves behind: a process of the instance, recorded in its pid file.
    const leftOver = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { cwd: first.dir, detached: true, stdio: "ignore" });
    strays.push(leftOver.pid as number);
    writeFileSync(join(first.dir, "run", "gateway.pid"), `${leftOver.pid}\n`);
    const second = driver({ baseDir: first.baseDir });
    expect(await second.d.resume(ID)).toBe(true);
    await until(() => second.d.running(ID));
    await until(() => !alive(leftOver.pid as number));
    expect(pid(first.dir, "gateway")).not.toBe(leftOver.pid);
    expect(second.steps).toEqual([]); // installed: not run again
    await second.d.deleteServer(ID);
    expect(existsSync(first.dir)).toBe(false);
  });

  it("checks the Node.js version OpenClaw needs and refuses ids that are not ours", async () => {
    expect(nodeSupported("24.16.0")).toBe(true);
    expect(nodeSupported("v24.21.0")).toBe(true);
    expect(nodeSupported("24.15.9")).toBe(false);
    expect(nodeSupported("25.1.0")).toBe(false);
    expect(nodeSupported("26.1.0")).toBe(true);
    const { d } = driver();
    await expect(d.deleteServer("../etc")).rejects.toThrow(/not an instance id/);
  });
});
