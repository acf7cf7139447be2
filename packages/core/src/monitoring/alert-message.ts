// What an alert says. The same words go to e-mail and webhooks; they name the instance and the
// reason from our own vocabulary (health-thresholds.ts, the timeline) — never chat, never secrets.

export const alertKinds = ["unreachable", "degraded", "recovered", "update_failed", "backup_failed"] as const;
export type AlertKind = (typeof alertKinds)[number];

export interface Alert {
  id: string;
  kind: AlertKind;
  instanceId: string;
  instanceName: string;
  reason: string;
  at: string;
}

export interface AlertDelivery {
  channel: "email" | "webhook";
  userId: string;
  alert: Alert;
}

const headline: Record<AlertKind, string> = {
  unreachable: "is unreachable",
  degraded: "is degraded",
  recovered: "has recovered",
  update_failed: "could not be updated",
  backup_failed: "could not be backed up",
};

export function alertSubject(a: Alert): string {
  return `Claw Cloud: ${a.instanceName} ${headline[a.kind]}`;
}

export function alertText(a: Alert, instanceUrl: string): string {
  return `Your assistant "${a.instanceName}" ${headline[a.kind]}.\n\n${a.reason}\n\nAt ${a.at}. Details and timeline: ${instanceUrl}\n`;
}

/** The webhook's JSON body (documented in the README). */
export function alertWebhookBody(a: Alert, instanceUrl: string): string {
  return JSON.stringify({
    type: `instance.${a.kind}`,
    id: a.id,
    createdAt: a.at,
    instance: { id: a.instanceId, name: a.instanceName, url: instanceUrl },
    reason: a.reason,
  });
}
