// A user's alert channels: e-mail to the account's address (on unless turned off) and an optional
// signed webhook. The signing secret is generated here, returned once, and stored encrypted.
import { type AlertSettings, updateAlertSettingsSchema } from "@clawcloud/contracts";
import { type Db, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { parseInput } from "../validate.ts";
import { decryptSecret, encryptSecret } from "../vault/envelope.ts";
import type { KeyProvider } from "../vault/key-provider.ts";
import { checkWebhookUrl, newWebhookSecret, type WebhookPolicy } from "./webhook.ts";

export interface AlertSettingsDeps {
  db: Db;
  keys: KeyProvider;
  webhookPolicy: WebhookPolicy;
}

const webhookAad = (userId: string) => Buffer.from(`clawcloud:webhook-secret:v1:${userId}`, "utf8");

async function row(db: Db, userId: string) {
  const [r] = await db.select().from(schema.alertSettings).where(eq(schema.alertSettings.userId, userId));
  return r;
}

export async function getAlertSettings(db: Db, actor: Actor): Promise<AlertSettings> {
  const r = await row(db, actor.userId);
  return { emailEnabled: r?.emailEnabled ?? true, email: actor.user.email, webhookUrl: r?.webhookUrl ?? null };
}

export async function updateAlertSettings(deps: AlertSettingsDeps, actor: Actor, input: unknown): Promise<AlertSettings> {
  const patch = parseInput(updateAlertSettingsSchema, input);
  const current = await row(deps.db, actor.userId);
  const webhookUrl = patch.webhookUrl === undefined ? (current?.webhookUrl ?? null) : patch.webhookUrl;
  if (webhookUrl && webhookUrl !== current?.webhookUrl) checkWebhookUrl(webhookUrl, deps.webhookPolicy);
  const newSecret =
    webhookUrl && (webhookUrl !== current?.webhookUrl || patch.rotateWebhookSecret || !current?.webhookCiphertext)
      ? newWebhookSecret()
      : undefined;
  const envelope = newSecret ? await encryptSecret(deps.keys, newSecret, webhookAad(actor.userId)) : undefined;
  const values = {
    emailEnabled: patch.emailEnabled ?? current?.emailEnabled ?? true,
    webhookUrl,
    ...(envelope
      ? { webhookKeyVersion: envelope.keyVersion, webhookWrappedKey: envelope.wrappedKey, webhookCiphertext: envelope.ciphertext }
      : webhookUrl
        ? {}
        : { webhookKeyVersion: null, webhookWrappedKey: null, webhookCiphertext: null }),
    updatedAt: new Date(),
  };
  await deps.db
    .insert(schema.alertSettings)
    .values({ userId: actor.userId, ...values })
    .onConflictDoUpdate({ target: schema.alertSettings.userId, set: values });
  return {
    emailEnabled: values.emailEnabled,
    email: actor.user.email,
    webhookUrl,
    ...(newSecret ? { webhookSecret: newSecret } : {}),
  };
}

/** The webhook and its secret, for delivery; undefined once the user removed it. */
export async function webhookTarget(deps: Omit<AlertSettingsDeps, "webhookPolicy">, userId: string) {
  const r = await row(deps.db, userId);
  if (!r?.webhookUrl || r.webhookKeyVersion === null || !r.webhookWrappedKey || !r.webhookCiphertext) return undefined;
  const secret = await decryptSecret(
    deps.keys,
    { keyVersion: r.webhookKeyVersion, wrappedKey: r.webhookWrappedKey, ciphertext: r.webhookCiphertext },
    webhookAad(userId),
  );
  return { url: r.webhookUrl, secret };
}
