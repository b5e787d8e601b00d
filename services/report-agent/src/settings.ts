/**
 * The report-agent's own configuration, `config/analytics.json` (optional; every field has a default):
 * the business calendar every duration is measured in, and the thresholds behind stale / due soon /
 * overload. Read and validated once at start; a bad file stops the service naming the field.
 */
import { z } from "zod";
import { BusinessCalendarConfigSchema } from "@pmo/analytics";
import { loadConfigFile, type ConfigFileSpec } from "@pmo/runtime";

export const AnalyticsFileSchema = z.object({
  /** Absent: durations are elapsed time in UTC. */
  calendar: BusinessCalendarConfigSchema.optional(),
  thresholds: z
    .object({
      staleDays: z.number().positive(),
      dueSoonDays: z.number().positive(),
      reviewWaitDays: z.number().positive(),
      wipPerPerson: z.number().int().positive(),
    })
    .partial()
    .default({}),
});
export type AnalyticsSettings = z.infer<typeof AnalyticsFileSchema>;

export const ANALYTICS_CONFIG: ConfigFileSpec<typeof AnalyticsFileSchema> = { file: "analytics.json", schema: AnalyticsFileSchema, required: false };

export function loadAnalyticsSettings(configDir: string): Promise<AnalyticsSettings> {
  return loadConfigFile(configDir, ANALYTICS_CONFIG);
}
