import { z } from "zod";
import { ItemRefSchema } from "./work-item.js";
import { PlatformSchema } from "./platform.js";

export const AlertSeverity = { Info: "info", Warning: "warning", Critical: "critical" } as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];

/** An alert raised by a rule, published on `pmo.alert.<severity>`; `id` is its `Nats-Msg-Id`. */
export const AlertSchema = z.object({
  id: z.string().min(1),
  ruleId: z.string().min(1),
  severity: z.enum(Object.values(AlertSeverity) as [AlertSeverity, ...AlertSeverity[]]),
  title: z.string(),
  message: z.string(),
  platform: PlatformSchema.nullable(),
  project: z.string().nullable(),
  items: z.array(ItemRefSchema),
  raisedAt: z.iso.datetime({ offset: true }),
  workflowId: z.string().nullable(),
});
export type Alert = z.infer<typeof AlertSchema>;
