import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectMetrics } from "../src/metrics.ts";
import { createOpenclawVersionReader } from "../src/openclaw-version.ts";

describe("openclaw version", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "clawcloud-agent-oc-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("reads the installed package.json behind the bin symlink, and notices an update", async () => {
    const pkg = join(dir, "lib/node_modules/openclaw");
    await mkdir(pkg, { recursive: true });
    await mkdir(join(dir, "bin"));
    await writeFile(join(pkg, "openclaw.mjs"), "");
    await writeFile(join(pkg, "package.json"), JSON.stringify({ name: "openclaw", version: "2026.9.5" }));
    await symlink(join(pkg, "openclaw.mjs"), join(dir, "bin/openclaw"));
    const reader = createOpenclawVersionReader(join(dir, "bin/openclaw"));
    expect(await reader.read()).toBe("2026.9.5");
    await writeFile(join(pkg, "package.json"), JSON.stringify({ name: "openclaw", version: "2026.9.6", extra: "changes the size" }));
    expect(await reader.read()).toBe("2026.9.6");
  });

  it("falls back to `openclaw --version`, cached", async () => {
    const bin = join(dir, "openclaw");
    const counter = join(dir, "calls");
    await writeFile(bin, `#!/bin/sh\necho x >> "${counter}"\necho "OpenClaw 2026.9.6 (eb377ac)"\n`);
    await chmod(bin, 0o755);
    const reader = createOpenclawVersionReader(bin);
    expect(await reader.read()).toBe("2026.9.6");
    expect(await reader.read()).toBe("2026.9.6");
    const { readFile } = await import("node:fs/promises");
    expect((await readFile(counter, "utf8")).trim().split("\n")).toHaveLength(1);
  });

  it("is null when nothing is configured or the binary is missing", async () => {
    expect(await createOpenclawVersionReader(undefined).read()).toBeNull();
    expect(await createOpenclawVersionReader(join(dir, "absent")).read()).toBeNull();
  });
});

describe("metrics", () => {
  it("reports plausible host figures, and zero disk for a missing directory", async () => {
    const m = await collectMetrics(tmpdir());
    expect(m.cpu.cores).toBeGreaterThanOrEqual(1);
    expect(m.cpu.load1).toBeGreaterThanOrEqual(0);
    expect(m.memory.availableMb).toBeLessThanOrEqual(m.memory.totalMb);
    expect(m.disk.freeMb).toBeLessThanOrEqual(m.disk.totalMb);
    expect((await collectMetrics("/definitely/not/here")).disk).toEqual({ totalMb: 0, freeMb: 0 });
  });
});
