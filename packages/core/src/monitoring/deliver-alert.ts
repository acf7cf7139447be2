// Sends one alert to one user over one channel (the alert.deliver job). A failure throws and the
// queue retries with backoff; settings are read at send time, so a channel turned off since the
// alert was raised is skipped.
import { type Db, eq, schema } from "@clawcloud/db";
import type { Mailer } from "../mail/mailer.ts";
import type { KeyProvider } from "../vault/key-provider.ts";
import { type AlertDelivery, alertSubject, alertText, alertWebhookBody } from "./alert-message.ts";
import { webhookTarget } from "./alert-settings.ts";
import { postWebhook, type WebhookPolicy } from "./webhook.ts";

export interface DeliverAlertDeps {
  db: Db;
  keys: KeyProvider;
  mailer: Pick<Mailer, "send">;
  webhookPolicy: WebhookPolicy;
  baseURL: string;
}

export async function deliverAlert(deps: DeliverAlertDeps, d: AlertDelivery): Promise<"sent" | "skipped"> {
  const instanceUrl = new URL(`/instances/${d.alert.instanceId}`, deps.baseURL).toString();
  if (d.channel === "email") {
    const [user] = await deps.db
      .select({ email: schema.users.email, emailEnabled: schema.alertSettings.emailEnabled })
      .from(schema.users)
      .leftJoin(schema.alertSettings, eq(schema.alertSettings.userId, schema.users.id))
      .where(eq(schema.users.id, d.userId));
    if (!user || user.emailEnabled === false) return "skipped";
    await deps.mailer.send({ to: user.email, subject: alertSubject(d.alert), text: alertText(d.alert, instanceUrl), link: instanceUrl });
    return "sent";
  }
  const target = await webhookTarget(deps, d.userId);
  if (!target) return "skipped";
  await postWebhook(target.url, target.secret, alertWebhookBody(d.alert, instanceUrl), deps.webhookPolicy);
  return "sent";
}
