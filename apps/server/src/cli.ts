// Operator commands: `npm run keys -- status`, `npm run keys -- rotate` and `npm run audit -- verify`.
// On the embedded database, stop the server first (one process per data directory).
import { createCore, DataDirLockedError, MasterKeyError } from "@clawcloud/core";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";

const usage = "usage: clawcloud keys status | keys rotate | audit verify";

async function main(argv: string[]): Promise<number> {
  const [group, command] = argv;
  const known = group === "keys" ? command === "status" || command === "rotate" : group === "audit" && command === "verify";
  if (!known) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig(process.env, []);
  const log = createLogger({ level: "warn", pretty: false });
  const core = await createCore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    baseURL: config.publicUrl,
    authSecret: config.authSecret,
    mailFrom: config.mailFrom,
    worker: false,
    masterKeys: config.masterKeys,
    log,
  });
  try {
    if (group === "audit") {
      const report = await core.audit.verify();
      if (!report.broken) {
        console.log(`audit log verifies: ${report.rows} row${report.rows === 1 ? "" : "s"}, chain intact`);
        return 0;
      }
      const b = report.broken;
      console.error(`audit log BROKEN at row ${b.seq} (${b.id}): ${b.reason}; ${report.rows} rows before it verify`);
      return 1;
    }
    const show = (byVersion: Record<number, number>) =>
      Object.entries(byVersion)
        .map(([v, n]) => `  key version ${v}: ${n} credential${n === 1 ? "" : "s"}`)
        .join("\n") || "  no credentials stored";
    if (command === "status") {
      console.log(`master key versions: ${core.vault.keyVersions().join(", ")}`);
      console.log(show(await core.vault.rowsByKeyVersion()));
      return 0;
    }
    console.log("before:");
    console.log(show(await core.vault.rowsByKeyVersion()));
    const report = await core.vault.rotate({
      addVersion: !config.masterKeys,
      onProgress: (done) => console.log(`  re-wrapped ${done}…`),
    });
    console.log(`current master key version: ${report.currentVersion}; re-wrapped ${report.rewrapped}`);
    console.log("after:");
    console.log(show(report.byVersion));
    for (const f of report.failed) console.error(`  could not open ${f.id} (key version ${f.keyVersion}): left as it is`);
    return report.failed.length > 0 ? 1 : 0;
  } finally {
    await core.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof MasterKeyError) {
    console.error(err.message);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
