/**
 * JSON over HTTP for the control handle, mounted under `/_sandbox/` on each emulator's port. The
 * platform defaults to the port's own; `?platform=` or a body `platform` picks another. No auth:
 * the sandbox only listens on loopback by default.
 *
 *   GET    /_sandbox/requests?limit=N      request log (oldest first)
 *   GET    /_sandbox/counters              per endpoint and status, faults applied, rate-limit state
 *   GET    /_sandbox/faults                active fault rules
 *   POST   /_sandbox/faults                {kind, rate|count, match?, delayMs?, status?} → 201 rule
 *   DELETE /_sandbox/faults?id=            one rule, or all of the platform
 *   POST   /_sandbox/mutate                {id, container?, status?, fields?, comment?, delete?, by?} → {changes}
 *   GET    /_sandbox/webhooks              registrations and delivery attempts
 *   POST   /_sandbox/webhooks              {url, secret, events?, scope?} → 201 registration
 *   DELETE /_sandbox/webhooks/:id
 *   POST   /_sandbox/clock                 {advanceMs} → {now}
 *   POST   /_sandbox/reset                 → 204
 *   GET    /_sandbox/truth                 canonical ground-truth JSON
 */
import { z } from "zod";
import type { Platform } from "../truth/model.js";
import { EDITABLE_FIELDS } from "../truth/mutate.js";
import type { SandboxControl } from "./control.js";
import { BadJsonError } from "./errors.js";
import { UnknownItemError } from "./mutation.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

const PlatformSchema = z.enum(["clickup", "github", "plane"]);
const StatusSchema = z.enum(["backlog", "todo", "in_progress", "in_review", "done", "cancelled"]);

const FaultSchema = z
  .object({
    platform: PlatformSchema.optional(),
    kind: z.enum(["rate_limit", "server_error", "slow", "reset", "malformed", "expired_token"]),
    rate: z.number().min(0).max(1).optional(),
    count: z.number().int().min(0).optional(),
    match: z.string().optional(),
    delayMs: z.number().int().min(0).optional(),
    status: z.number().int().min(100).max(599).optional(),
  })
  .refine((r) => r.rate !== undefined || r.count !== undefined, { message: "give `rate` or `count`" });

const MutationSchema = z.object({
  platform: PlatformSchema.optional(),
  id: z.string().min(1),
  container: z.string().optional(),
  status: StatusSchema.optional(),
  fields: z
    .object({
      title: z.string(),
      description: z.string(),
      priority: z.enum(["urgent", "high", "medium", "low", "none"]),
      assignees: z.array(z.string()),
      labels: z.array(z.string()),
      dueAt: z.number().nullable(),
      estimatePoints: z.number().nullable(),
      timeEstimateMs: z.number().nullable(),
      sprint: z.string().nullable(),
      blockedBy: z.array(z.string()),
    } satisfies Record<(typeof EDITABLE_FIELDS)[number], z.ZodType>)
    .partial()
    .optional(),
  comment: z.string().optional(),
  delete: z.boolean().optional(),
  by: z.string().optional(),
});

const WebhookSchema = z.object({
  platform: PlatformSchema.optional(),
  url: z.url(),
  secret: z.string(),
  events: z.array(z.string()).default(["*"]),
  scope: z.string().nullable().default(null),
});

const ClockSchema = z.object({ advanceMs: z.number().min(0) });

export async function handleControlRequest(control: SandboxControl, req: SandboxRequest, own: Platform): Promise<SandboxResponse> {
  const route = `${req.method} ${req.url.pathname.replace(/\/+$/, "")}`;
  const queryPlatform = PlatformSchema.safeParse(req.query.get("platform") ?? own);
  if (!queryPlatform.success) return problem(400, "unknown platform");
  const platform = queryPlatform.data;
  try {
    switch (route) {
      case "GET /_sandbox/requests": {
        const limit = req.query.get("limit");
        return ok({ platform, requests: control.requests(platform, limit ? Number(limit) : undefined) });
      }
      case "GET /_sandbox/counters":
        return ok(control.counters());
      case "GET /_sandbox/faults":
        return ok({ platform, faults: control.faults(platform) });
      case "POST /_sandbox/faults": {
        const { platform: p, ...rule } = parse(FaultSchema, req);
        return { status: 201, body: control.addFault(p ?? platform, rule) };
      }
      case "DELETE /_sandbox/faults":
        return ok({ removed: control.clearFaults(platform, req.query.get("id") ?? undefined) });
      case "POST /_sandbox/mutate": {
        const { platform: p, ...m } = parse(MutationSchema, req);
        return ok({ changes: control.mutate({ ...m, platform: p ?? platform }).map(({ item, ...c }) => ({ ...c, itemId: item.id })) });
      }
      case "GET /_sandbox/webhooks":
        return ok(control.webhooks(req.query.has("platform") ? platform : undefined));
      case "POST /_sandbox/webhooks": {
        const { platform: p, ...reg } = parse(WebhookSchema, req);
        return { status: 201, body: control.registerWebhook({ ...reg, platform: p ?? platform }) };
      }
      case "POST /_sandbox/clock":
        return ok({ now: control.advanceClock(parse(ClockSchema, req).advanceMs) });
      case "POST /_sandbox/reset":
        await control.reset();
        return { status: 204 };
      case "GET /_sandbox/truth":
        return { status: 200, body: control.groundTruthJson() };
    }
    const hook = /^DELETE \/_sandbox\/webhooks\/([^/]+)$/.exec(route);
    if (hook) return control.removeWebhook(decodeURIComponent(hook[1]!)) ? { status: 204 } : problem(404, "no such webhook");
    return problem(404, `no control endpoint ${route}`);
  } catch (err) {
    if (err instanceof InvalidControlBody) return problem(400, err.message);
    if (err instanceof UnknownItemError) return problem(404, err.message);
    if (err instanceof RangeError || (err instanceof Error && err.name === "UnknownPlatformError")) return problem(400, err.message);
    throw err;
  }
}

class InvalidControlBody extends Error {
  override readonly name = "InvalidControlBody";
}

function parse<T>(schema: z.ZodType<T>, req: SandboxRequest): T {
  let body: unknown;
  try {
    body = req.json();
  } catch (err) {
    if (err instanceof BadJsonError) throw new InvalidControlBody("body is not valid JSON");
    throw err;
  }
  const result = schema.safeParse(body);
  if (!result.success) throw new InvalidControlBody(z.prettifyError(result.error));
  return result.data;
}

function ok(body: unknown): SandboxResponse {
  return { status: 200, body };
}

function problem(status: number, message: string): SandboxResponse {
  return { status, body: { error: message } };
}
