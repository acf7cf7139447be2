#!/usr/bin/env node
// clawcloud-agent: `node clawcloud-agent.js [--config <path> | <path>]`, else CLAWCLOUD_AGENT_CONFIG,
// else /etc/clawcloud-agent/config.json. `--version` prints the version. `--trial <file>`: a
// self-update's trial run (self-update/handover.ts).
// Exit codes: 0 stopped by a signal, 1 unexpected failure (restart me), 75 restart me (a
// self-update swapped the bundle, or its trial failed), 78 needs a person
// (bad config, spent token, revoked credential; systemd: RestartPreventExitStatus=78).
import { realpathSync } from "node:fs";
import { startAgent } from "./agent.ts";
import { ConfigError, DEFAULT_CONFIG_PATH, loadConfig } from "./config.ts";
import { EXIT_CONFIG, EXIT_FAILURE } from "./exit-codes.ts";
import { createLogger } from "./log.ts";
import { AGENT_VERSION } from "./version.ts";

function configPathFrom(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const flag = argv.findIndex((a) => a === "--config" || a === "-c");
  if (flag >= 0 && argv[flag + 1]) return argv[flag + 1] as string;
  const inline = argv.find((a) => a.startsWith("--config="));
  if (inline) return inline.slice("--config=".length);
  const positional = argv.find((a) => !a.startsWith("-"));
  if (positional) return positional;
  return env.CLAWCLOUD_AGENT_CONFIG || DEFAULT_CONFIG_PATH;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes("--version")) {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  const log = createLogger({ level: process.env.CLAWCLOUD_AGENT_DEBUG ? "debug" : "info" });
  const path = configPathFrom(argv, process.env);
  let loaded: Awaited<ReturnType<typeof loadConfig>>;
  try {
    loaded = await loadConfig(path);
  } catch (err) {
    log.error("config_invalid", { message: err instanceof ConfigError ? err.message : String(err) });
    return EXIT_CONFIG;
  }
  if (loaded.unknownKeys.length > 0) log.warn("config_unknown_keys", { keys: loaded.unknownKeys });

  const trial = argv.indexOf("--trial");
  const trialFile = trial >= 0 ? argv[trial + 1] : undefined;
  const agent = startAgent(loaded.config, log, {
    // The file this process runs: a self-update stages its successor beside it.
    ...(/\.m?js$/.test(process.argv[1] ?? "") ? { bundlePath: realpathSync(process.argv[1] as string) } : {}),
    ...(trialFile ? { trialFile } : {}),
  });
  const onSignal = (sig: NodeJS.Signals) => {
    log.info("signal", { signal: sig });
    void agent.stop();
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  process.on("unhandledRejection", (reason) => {
    log.error("unhandled_rejection", { error: reason instanceof Error ? reason.message : String(reason) });
    process.exit(EXIT_FAILURE);
  });
  return agent.done;
}

// stdout is synchronous for files and pipes on Linux, so no log line is lost by exiting here.
process.exit(await main());
