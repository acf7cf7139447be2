// The local supervisor's hold file: while it exists an exited child stays down (the agent stops
// the gateway around an update or a restore); removing it brings the child back within a second.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { supervise } from "../src/local/supervisor.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const until = async (pred: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe("local supervisor hold file", () => {
  it("keeps a stopped child down while held and restarts it once released", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cc-hold-"));
    dirs.push(dir);
    const hold = join(dir, "gateway.hold");
    const pidFile = join(dir, "gateway.pid");
    const s = supervise({
      name: "gateway",
      spec: { command: process.execPath, args: ["-e", "setInterval(() => {}, 1000)"], env: {}, cwd: dir },
      logFile: join(dir, "log"),
      pidFile,
      holdFile: hold,
      minBackoffMs: 50,
    });
    try {
      await until(() => existsSync(pidFile));
      const first = Number(readFileSync(pidFile, "utf8"));
      // What the agent does: hold, then stop the gateway's process group.
      writeFileSync(hold, "held\n");
      process.kill(-first, "SIGTERM");
      await until(() => s.pid() === undefined);
      await new Promise((r) => setTimeout(r, 1200));
      expect(s.pid()).toBeUndefined();
      expect(s.starts()).toBe(1);
      rmSync(hold);
      await until(() => s.pid() !== undefined, 3000);
      expect(s.starts()).toBe(2);
      expect(s.pid()).not.toBe(first);
    } finally {
      await s.stop();
    }
  });
});
