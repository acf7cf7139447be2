// `npm run bench`: prints figures, asserts nothing. Needs the web app built (`npm run build`)
// and, for the PostgreSQL rows, a server at BENCH_DATABASE_URL (default: this machine's).
import pg from "pg";
import { benchApiLatency } from "./api-latency.ts";
import { benchCallsPerDeploy, benchDeployBurst, benchFaultSuite } from "./deploys.ts";
import { benchHeartbeats } from "./heartbeats.ts";
import { benchRelay } from "./relay.ts";
import { benchStartup } from "./startup.ts";
import { benchWebBundle } from "./web-bundle.ts";

const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function withScratchDatabase<T>(fn: (url: string) => Promise<T>): Promise<T | undefined> {
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
  } catch {
    console.log(`(no PostgreSQL server at ${serverUrl}: its rows are skipped)`);
    return undefined;
  }
  const name = `cc_bench_${Date.now()}`;
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

const print = (lines: string[] | undefined) => {
  for (const l of lines ?? []) console.log(`  ${l}`);
};

console.log("Claw Cloud benchmarks (figures only; nothing here passes or fails)");
print(benchWebBundle());
print(await benchStartup());
print(await benchApiLatency({ rate: 500, seconds: 10 }));
print(await withScratchDatabase((url) => benchApiLatency({ databaseUrl: url, rate: 500, seconds: 10 })));
print(await benchCallsPerDeploy());
print(await benchDeployBurst(200));
// The fault suite on the PostgreSQL server (its pool runs the workers side by side), else PGlite.
print((await withScratchDatabase((url) => benchFaultSuite(1000, { databaseUrl: url }))) ?? (await benchFaultSuite(1000)));
// 10,000 agents on real WebSockets into one server process on the PostgreSQL server. Without one,
// 1,000 on PGlite: the embedded single-connection database authenticates 10,000 connecting agents
// too slowly for a benchmark run (about 8 s per 1,000 here).
print(
  (await withScratchDatabase((url) => benchHeartbeats({ agents: 10_000, measureSec: 30, databaseUrl: url }))) ??
    (await benchHeartbeats({ agents: 1000, measureSec: 15 })),
);
print(await benchRelay());
