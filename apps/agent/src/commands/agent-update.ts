// `agent.update`: move this agent to the server's bundle (self-update/). One command both starts
// the update and answers how it went, so the server can ask again after the restart:
//   running the version already      → current
//   a hand-over scheduled or running → in_progress
//   this operation's trial failed    → AGENT_UPDATE_FAILED with the reason (the old bundle runs)
//   otherwise: download, checksum, smoke test, then hand over after this answer → restarting
import { AGENT_SELF_UPDATE_COMMAND, type AgentUpdateResult, agentUpdateArgsSchema } from "@clawcloud/contracts";
import { bundleFiles, clearHandoverResult, readHandoverResult } from "../self-update/bundle-files.ts";
import { handover } from "../self-update/handover.ts";
import { stageBundle } from "../self-update/stage.ts";
import { AGENT_VERSION } from "../version.ts";
import { CommandError, defineCommand } from "./command.ts";

/** `version`: tests pretend to run another version than the one built in. */
export const agentUpdateCommand = (opts: { version?: string } = {}) =>
  defineCommand({
    name: AGENT_SELF_UPDATE_COMMAND,
    args: agentUpdateArgsSchema,
    async run(args, ctx): Promise<AgentUpdateResult> {
      const running = opts.version ?? AGENT_VERSION;
      const agent = ctx.agent;
      // On trial the new version runs, but the service does not start it yet: not "current" until the swap.
      if (agent?.trial) return { status: "in_progress", version: running };
      if (running === args.version) return { status: "current", version: running };
      const self = agent?.self;
      if (!agent || !self)
        throw new CommandError("AGENT_UPDATE_UNSUPPORTED", "This agent does not run from a bundle file, so it cannot replace it.");
      if (self.handingOver()) return { status: "in_progress", version: running };
      const files = bundleFiles(self.bundlePath, agent.config.stateDir);
      const last = await readHandoverResult(files.result);
      if (last && last.operation === args.operation && last.version === args.version) {
        throw new CommandError(
          "AGENT_UPDATE_FAILED",
          `Agent ${args.version} did not take over (${last.reason}); agent ${running} runs again.`,
        );
      }
      await clearHandoverResult(files.result);
      await stageBundle({
        serverUrl: agent.config.serverUrl,
        files,
        version: args.version,
        sha256: args.sha256,
        nodePath: process.execPath,
        signal: ctx.signal,
      });
      ctx.log.info("agent_update_staged", { from: running, to: args.version });
      self.handOver(async () => {
        await handover({
          files,
          nodePath: process.execPath,
          configPath: agent.config.configPath,
          operation: args.operation,
          version: args.version,
          log: ctx.log,
          trialTimeoutMs: agent.config.tuning.selfUpdateTrialMs,
        });
      });
      return { status: "restarting", version: running };
    },
  });
