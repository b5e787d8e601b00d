import { z } from "zod";
import { ENVELOPE_VERSION, describeIssues } from "./envelope.js";
import { PlatformSchema } from "./platform.js";

export const Action = { Monitor: "monitor", Report: "report", Manage: "manage", Sync: "sync" } as const;
export type Action = (typeof Action)[keyof typeof Action];

export const ReportType = { Daily: "daily", Weekly: "weekly", Monthly: "monthly", Sprint: "sprint", Velocity: "velocity" } as const;
export type ReportType = (typeof ReportType)[keyof typeof ReportType];

export const ReportFormat = { Markdown: "markdown", Json: "json", Html: "html", Pdf: "pdf" } as const;
export type ReportFormat = (typeof ReportFormat)[keyof typeof ReportFormat];

/** The seed's priority scale; each agent maps it to its platform's own. */
export const RequestPriority = { Low: "low", Medium: "medium", High: "high", Critical: "critical" } as const;
export type RequestPriority = (typeof RequestPriority)[keyof typeof RequestPriority];

const enumOf = <T extends Record<string, string>>(values: T, what: string) =>
  z.enum(Object.values(values) as [T[keyof T], ...T[keyof T][]], {
    error: (i) => `${what} must be one of ${Object.values(values).join("|")}, got ${JSON.stringify(i.input)}`,
  });

const nonBlank = (what: string) => z.string({ error: `${what} is required` }).trim().min(1, `${what} must not be empty`);

export const ManageOperationKind = { Create: "create", Update: "update", Close: "close", Comment: "comment" } as const;
export type ManageOperationKind = (typeof ManageOperationKind)[keyof typeof ManageOperationKind];

export const ManageOperationSchema = z
  .object({
    op: enumOf(ManageOperationKind, "op"),
    platform: PlatformSchema.optional(),
    /** Platform id of the item (update/close/comment). */
    id: z.string().min(1).optional(),
    title: z.string().min(1).optional(),
    description: z.string().optional(),
    assignee: z.string().min(1).optional(),
    priority: enumOf(RequestPriority, "priority").optional(),
    status: z.string().min(1).optional(),
    labels: z.array(z.string().min(1)).optional(),
    dueDate: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    /** Where to create: ClickUp list id, GitHub "owner/repo", Plane project id. Defaults from the project config. */
    container: z.string().min(1).optional(),
  })
  .superRefine((op, ctx) => {
    if (op.op === "create" && !op.title) ctx.addIssue({ code: "custom", path: ["title"], message: "required to create an item" });
    if (op.op !== "create" && !op.id) ctx.addIssue({ code: "custom", path: ["id"], message: `required to ${op.op} an item` });
    if (op.op === "comment" && !op.description) ctx.addIssue({ code: "custom", path: ["description"], message: "required: the comment text" });
  });
export type ManageOperation = z.infer<typeof ManageOperationSchema>;

export const WorkflowParametersSchema = z.object({
  reportType: enumOf(ReportType, "reportType").optional(),
  formats: z.array(enumOf(ReportFormat, "format")).min(1, "at least one format").optional(),
  listId: z.string().min(1).optional(),
  assignee: z.string().min(1).optional(),
  priority: enumOf(RequestPriority, "priority").optional(),
  sprint: z.string().min(1).optional(),
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  operations: z.array(ManageOperationSchema).max(10_000).optional(),
  dryRun: z.boolean().optional(),
});
export type WorkflowParameters = z.infer<typeof WorkflowParametersSchema>;

export const WorkflowRequestSchema = z
  .object({
    /** Absent means the current version; anything else must be one we read. */
    version: z.literal(ENVELOPE_VERSION, { error: (i) => `unsupported version ${JSON.stringify(i.input)} (this build reads version ${ENVELOPE_VERSION})` }).optional(),
    action: enumOf(Action, "action"),
    platforms: z
      .array(PlatformSchema, { error: "platforms must be a list of clickup|github|plane" })
      .min(1, "at least one platform is required")
      .refine((p) => new Set(p).size === p.length, "each platform at most once"),
    project: nonBlank("project"),
    requestId: z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9._:-]+$/, "only letters, digits and . _ : -").optional(),
    author: z.string().min(1).max(200).optional(),
    parameters: WorkflowParametersSchema.default({}),
  })
  .superRefine((req, ctx) => {
    const p = req.parameters;
    if (req.action === "report" && !p.reportType) {
      ctx.addIssue({ code: "custom", path: ["parameters", "reportType"], message: 'required when action is "report"' });
    }
    if (req.action === "manage" && !p.operations?.length && !p.title) {
      ctx.addIssue({ code: "custom", path: ["parameters", "title"], message: 'required when action is "manage" without operations' });
    }
    if (req.action === "manage" && req.platforms.length > 1) {
      (p.operations ?? []).forEach((op, i) => {
        if (op.op !== "create" && !op.platform) {
          ctx.addIssue({ code: "custom", path: ["parameters", "operations", i, "platform"], message: "required when the workflow spans several platforms" });
        }
      });
    }
    (p.operations ?? []).forEach((op, i) => {
      if (op.platform && !req.platforms.includes(op.platform)) {
        ctx.addIssue({ code: "custom", path: ["parameters", "operations", i, "platform"], message: `${op.platform} is not among the requested platforms` });
      }
    });
  });
export type WorkflowRequest = z.infer<typeof WorkflowRequestSchema>;
export type WorkflowRequestInput = z.input<typeof WorkflowRequestSchema>;

export type RequestVerdict = { ok: true; request: WorkflowRequest } | { ok: false; errors: string[] };

/** Parses raw bytes of a request message; never throws. */
export function parseWorkflowRequest(raw: Uint8Array | string): RequestVerdict {
  const text = typeof raw === "string" ? raw : new TextDecoder("utf-8", { fatal: false }).decode(raw);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const preview = text.length > 80 ? `${text.slice(0, 80)}…` : text;
    return { ok: false, errors: [`malformed JSON (${(err as Error).message}): ${JSON.stringify(preview)}`] };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return { ok: false, errors: ["the request must be a JSON object"] };
  }
  // Accept the versioned envelope form as well as the seed's bare object.
  const obj = data as Record<string, unknown>;
  if ("payload" in obj && "type" in obj) {
    if (obj.version !== ENVELOPE_VERSION) return { ok: false, errors: [`version: unsupported version ${JSON.stringify(obj.version)} (this build reads version ${ENVELOPE_VERSION})`] };
    if (obj.type !== "workflow.request") return { ok: false, errors: [`type: expected "workflow.request", got ${JSON.stringify(obj.type)}`] };
    data = obj.payload;
  }
  const parsed = WorkflowRequestSchema.safeParse(data);
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, errors: describeIssues(parsed.error) };
}
