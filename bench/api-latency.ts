// Authenticated list route under a fixed request rate (open loop: requests go out on schedule
// whether or not earlier ones finished, so slow answers show up as latency, not as lower load).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { freePort, signUp, spawnServer, stop, waitForHealth } from "./support.ts";

export async function benchApiLatency(opts: { databaseUrl?: string; rate: number; seconds: number }): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "cc-bench-api-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnServer({
    PORT: String(port),
    CLAWCLOUD_DATA_DIR: dataDir,
    CLAWCLOUD_PUBLIC_URL: url,
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
  });
  try {
    await waitForHealth(url);
    const { cookie } = await signUp(url);
    const run = (duration: number) =>
      autocannon({
        url: `${url}/api/v1/instances`,
        headers: { cookie },
        connections: 5,
        overallRate: opts.rate,
        duration,
      });
    await run(5); // warm-up: JIT, connection pools, and the queue's start-up maintenance
    const r = await run(opts.seconds);
    const kind = opts.databaseUrl ? "PostgreSQL server" : "PGlite";
    return [
      `GET /api/v1/instances (authenticated) on ${kind} at ${opts.rate} req/s for ${opts.seconds} s: ` +
        `p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ` +
        `${r.requests.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors (target p99 ≤ 20 ms)`,
    ];
  } finally {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
