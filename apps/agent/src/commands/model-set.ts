// `model.set`: the user's model key, sealed in their browser to this agent's X25519 key. Only
// here is it opened; it is tested with one call to the provider and, if that works, written into
// OpenClaw's config (a provider entry `clawcloud` plus the default model) with OpenClaw's own
// `config patch`, which the running gateway picks up without a restart. The result carries the
// model and the check, never the key.
import { modelSecretSchema, sealOpen } from "@clawcloud/contracts";
import { z } from "zod";
import type { Logger } from "../log.ts";
import { createOpenclawRunner } from "../openclaw-runner.ts";
import { toModel } from "../relay/chat-translate.ts";
import type { GatewayClient } from "../relay/gateway-client.ts";
import { CommandError, defineCommand } from "./command.ts";
import { checkModel, DEFAULT_BASE_URL } from "./model-check.ts";

const PROVIDER_ID = "clawcloud";

export const modelSetCommand = defineCommand({
  name: "model.set",
  args: z.strictObject({ sealed: z.string().min(64).max(12_000) }),
  async run({ sealed }, ctx) {
    const agent = ctx.agent;
    if (!agent) throw new CommandError("UNSUPPORTED", "this agent cannot set models");
    let plain: Uint8Array;
    try {
      const jwk = agent.keys.privateKey.export({ format: "jwk" });
      const secretKey = Buffer.from(String(jwk.d), "base64url");
      plain = sealOpen(Buffer.from(sealed, "base64"), Buffer.from(agent.keys.publicKeyBase64, "base64"), secretKey);
      secretKey.fill(0);
    } catch {
      throw new CommandError("SEALED_BOX_INVALID", "The sealed key could not be opened: seal it to this instance's current public key.");
    }
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(Buffer.from(plain).toString("utf8"));
    } catch {
      throw new CommandError("SEALED_BOX_INVALID", "The sealed content is not JSON.");
    } finally {
      plain.fill(0);
    }
    const parsed = modelSecretSchema.safeParse(parsedJson);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join(".") || "(content)").join(", ");
      throw new CommandError("SEALED_BOX_INVALID", `The sealed content is not valid (${fields}).`);
    }
    const secret = parsed.data;
    ctx.log.addSecret(secret.apiKey.length >= 4 ? secret.apiKey : undefined);
    const api = secret.api ?? "openai-completions";
    const baseUrl = secret.baseUrl ?? DEFAULT_BASE_URL;
    const model = { model: secret.model, api, host: new URL(baseUrl).host };

    const check = await checkModel(secret, ctx.signal);
    ctx.log.info("model_checked", { ok: check.ok, errorKind: check.errorKind, httpStatus: check.httpStatus, api, host: model.host });
    if (!check.ok) return { applied: false, check, model };

    const patch = {
      models: {
        mode: "merge",
        providers: {
          [PROVIDER_ID]: {
            baseUrl,
            api,
            apiKey: secret.apiKey,
            models: [{ id: secret.model, name: secret.model, input: ["text"], contextWindow: 128_000, maxTokens: 4096 }],
          },
        },
      },
      agents: { defaults: { model: { primary: `${PROVIDER_ID}/${secret.model}` }, models: { [`${PROVIDER_ID}/${secret.model}`]: {} } } },
    };
    // The patch holds the key: it goes in on stdin only.
    const out = await createOpenclawRunner(agent.config).cli(
      ["config", "patch", "--stdin", "--replace-path", `models.providers.${PROVIDER_ID}`, "--replace-path", "agents.defaults.models"],
      { stdin: JSON.stringify(patch), timeoutMs: 60_000, signal: ctx.signal },
    );
    if (out.code !== 0) {
      const why = ctx.log.redact(`${out.stderr}\n${out.stdout}`).trim().split("\n").slice(-3).join(" ").slice(0, 300);
      throw new CommandError("OPENCLAW_CONFIG_FAILED", `OpenClaw refused the model settings: ${why || `exit ${out.code}`}`);
    }
    // OpenClaw reloads its config a moment after the CLI returns: answer once the gateway uses the
    // new model, so "the model in use" is true when the person starts chatting.
    if (agent.gateway) await untilGatewayUses(agent.gateway, `${PROVIDER_ID}/${secret.model}`, ctx.signal, ctx.log);
    return { applied: true, check, model };
  },
});

const RELOAD_WAIT_MS = 20_000;

async function untilGatewayUses(gateway: GatewayClient, wanted: string, signal: AbortSignal, log: Logger): Promise<void> {
  const end = Date.now() + RELOAD_WAIT_MS;
  while (Date.now() < end && !signal.aborted) {
    try {
      const model = toModel(await gateway.request("sessions.list", { limit: 1 }, 5_000));
      if (model && `${model.provider}/${model.model}` === wanted) return;
    } catch {
      // the gateway may be restarting: try again
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log.warn("model_reload_not_seen", { waitedMs: RELOAD_WAIT_MS });
}
