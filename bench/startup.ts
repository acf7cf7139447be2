// Start to first 200 on /api/health with an existing PGlite directory (the embedded default after
// its first run): process spawn → first successful health check.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmt, freePort, pct, spawnServer, stop, waitForHealth } from "./support.ts";

export async function benchStartup(runs = 5): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "cc-bench-start-"));
  try {
    const times: number[] = [];
    let fresh = 0;
    for (let i = 0; i <= runs; i++) {
      const port = await freePort();
      const t0 = performance.now();
      const child = spawnServer({ PORT: String(port), CLAWCLOUD_DATA_DIR: dataDir });
      await waitForHealth(`http://127.0.0.1:${port}`);
      const ms = performance.now() - t0;
      if (i === 0) fresh = ms;
      else times.push(ms);
      await stop(child);
    }
    times.sort((a, b) => a - b);
    return [
      `start → first 200 on /api/health, fresh PGlite dir (initdb + migrations): ${fmt(fresh)}`,
      `start → first 200 on /api/health, existing PGlite dir: median ${fmt(pct(times, 50))}, min ${fmt(times[0] ?? 0)}, max ${fmt(times.at(-1) ?? 0)} over ${runs} runs (target ≤ 2 s)`,
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
