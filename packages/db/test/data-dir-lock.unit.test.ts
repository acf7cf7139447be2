import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataDirLockedError, lockDataDir } from "../src/data-dir-lock.ts";

describe("the data directory lock", () => {
  it("refuses a second holder with a message naming the directory and the holder", () => {
    const dir = mkdtempSync(join(tmpdir(), "cc-lock-"));
    // A live process other than us holds it: our parent (the test runner's process tree).
    writeFileSync(join(dir, "clawcloud.lock"), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`${dir}.*pid ${process.ppid}.*CLAWCLOUD_DATA_DIR`));
  });

  it("takes over a lock whose process is gone, and releases it", () => {
    const dir = mkdtempSync(join(tmpdir(), "cc-lock-"));
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    writeFileSync(join(dir, "clawcloud.lock"), dead);
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, "clawcloud.lock"), "utf8")).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, "clawcloud.lock"))).toBe(false);
  });
});
