// Monitoring and alerts: an instance's metrics over a range, and the signed-in user's alert channels.
import { z } from "zod";

export const metricsRanges = ["1h", "24h", "7d"] as const;
export const metricsRangeSchema = z.enum(metricsRanges);
export type MetricsRange = z.infer<typeof metricsRangeSchema>;

export const metricsQuerySchema = z.object({ range: metricsRangeSchema.default("1h") });

export const metricPointSchema = z.object({
  /** Start of the point's interval. */
  t: z.iso.datetime(),
  /** Average 1-minute load over the interval, and the machine's cores. */
  cpuLoad: z.number(),
  cpuCores: z.number().int(),
  /** Highest use over the interval, in MB. */
  memUsedMb: z.number().int(),
  memTotalMb: z.number().int(),
  diskUsedMb: z.number().int(),
  diskTotalMb: z.number().int(),
  /** False if any heartbeat in the interval reported the gateway unhealthy. */
  gatewayHealthy: z.boolean(),
});
export type MetricPoint = z.infer<typeof metricPointSchema>;

export const instanceMetricsSchema = z
  .object({
    range: metricsRangeSchema,
    /** Seconds each point covers: at most ~170 points whatever the range. */
    stepSec: z.number().int(),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    points: z.array(metricPointSchema),
  })
  .meta({ id: "InstanceMetrics" });
export type InstanceMetrics = z.infer<typeof instanceMetricsSchema>;

export const alertSettingsSchema = z
  .object({
    emailEnabled: z.boolean(),
    /** Where e-mail alerts go: the account's address. */
    email: z.string(),
    webhookUrl: z.string().nullable(),
    /** The webhook's signing secret: present only in the response that created it, never again. */
    webhookSecret: z.string().optional(),
  })
  .meta({ id: "AlertSettings" });
export type AlertSettings = z.infer<typeof alertSettingsSchema>;

export const updateAlertSettingsSchema = z
  .strictObject({
    emailEnabled: z.boolean().optional(),
    /** An https:// URL, or null to remove the webhook. A new URL gets a new signing secret. */
    webhookUrl: z
      .url({ protocol: /^https?$/, error: "Enter an https:// address" })
      .max(2000)
      .nullable()
      .optional(),
    /** Issue a new signing secret for the current webhook (the old one stops working at once). */
    rotateWebhookSecret: z.boolean().optional(),
  })
  .meta({ id: "UpdateAlertSettings" });
export type UpdateAlertSettings = z.infer<typeof updateAlertSettingsSchema>;
