/**
 * Webhook registry (platform-apis.md §1.8): POST/GET /team/{id}/webhook, PUT/DELETE
 * /webhook/{id}. Registrations live in the kit's hub (ctx.webhooks), which delivers what
 * webhook-view.ts renders. Only one location applies: the most specific one given.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Route, WebhookRegistration } from "../kit/types.js";
import { type ClickUpEnv, jsonObject, ok, requireList, requireTask, requireTeam } from "./env.js";
import { ClickUpApiError, ClickUpErrors, invalidInput } from "./errors.js";
import { decodeScope, encodeScope } from "./webhook-view.js";

/** The task events of CU-OAS CreateWebhook; list/folder/space/goal events are accepted but never fire (the sandbox's hierarchy is fixed). */
export const CLICKUP_WEBHOOK_EVENTS = [
  "taskCreated", "taskUpdated", "taskDeleted", "taskPriorityUpdated", "taskStatusUpdated", "taskAssigneeUpdated",
  "taskDueDateUpdated", "taskTagUpdated", "taskMoved", "taskCommentPosted", "taskCommentUpdated", "taskTimeEstimateUpdated",
  "taskTimeTrackedUpdated", "listCreated", "listUpdated", "listDeleted", "folderCreated", "folderUpdated", "folderDeleted",
  "spaceCreated", "spaceUpdated", "spaceDeleted", "goalCreated", "goalUpdated", "goalDeleted", "keyResultCreated",
  "keyResultUpdated", "keyResultDeleted",
] as const;

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** 64 upper-case alphanumerics, the shape of the secrets in ClickUp's examples. */
function newSecret(): string {
  return [...randomBytes(64)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join("");
}

function bad(err: string): never {
  throw new ClickUpApiError(invalidInput(err, "WEBHOOK_002"));
}

export function webhookRoutes(env: ClickUpEnv, token: string): Route[] {
  const { store, ctx } = env;
  const clientId = createHash("sha256").update(token).digest("hex").slice(0, 32).toUpperCase();

  const parseEvents = (raw: unknown): string[] => {
    if (!Array.isArray(raw) || raw.length === 0) bad("events must be a non-empty array of event names or [\"*\"]");
    for (const e of raw) if (e !== "*" && !(CLICKUP_WEBHOOK_EVENTS as readonly unknown[]).includes(e)) bad(`Unknown event ${String(e)}`);
    return [...new Set(raw as string[])];
  };

  const parseEndpoint = (raw: unknown): string => {
    if (typeof raw !== "string" || !URL.canParse(raw)) bad("endpoint must be a URL");
    return raw;
  };

  /** Most specific location wins: task, then list, folder, space; none = the whole workspace. */
  const parseScope = (body: Record<string, unknown>): string => {
    const id = (k: string) => (body[k] === undefined || body[k] === null ? null : String(body[k]));
    const task = id("task_id");
    if (task) return encodeScope("task", requireTask(env, task).id);
    const list = id("list_id");
    if (list) return encodeScope("list", requireList(env, list).id);
    const folder = id("folder_id");
    if (folder) {
      if (!store.folder(folder)) throw new ClickUpApiError(ClickUpErrors.folderNotFound);
      return encodeScope("folder", folder);
    }
    const space = id("space_id");
    if (space) {
      if (!store.space(space)) throw new ClickUpApiError(ClickUpErrors.spaceNotFound);
      return encodeScope("space", space);
    }
    return encodeScope("team", store.teamId);
  };

  const webhookView = (reg: WebhookRegistration) => {
    const s = decodeScope(reg.scope);
    const at = (kind: string) => (s?.kind === kind ? s.id : null);
    const num = (v: string | null) => (v === null ? null : Number(v));
    return {
      id: reg.id,
      userid: store.user(env.actingUser).id,
      team_id: Number(store.teamId),
      endpoint: reg.url,
      client_id: clientId,
      events: reg.events,
      task_id: at("task"),
      list_id: num(at("list")),
      folder_id: num(at("folder")),
      space_id: num(at("space")),
      // Delivery health is tracked by the kit's hub, which does not expose it per registration.
      health: { status: "active", fail_count: 0 },
      secret: reg.secret,
    };
  };

  const ownRegistration = (id: string | undefined): WebhookRegistration => {
    const reg = ctx.webhooks.list("clickup").find((r) => r.id === id);
    if (!reg) throw new ClickUpApiError(ClickUpErrors.webhookNotFound);
    return reg;
  };

  return [
    {
      method: "POST",
      pattern: "/team/:team_id/webhook",
      handler: (req) => {
        requireTeam(env, req.params.team_id);
        const body = jsonObject(req);
        const reg = ctx.webhooks.register({ platform: "clickup", url: parseEndpoint(body.endpoint), secret: newSecret(), events: parseEvents(body.events), scope: parseScope(body) });
        return ok({ id: reg.id, webhook: webhookView(reg) });
      },
    },
    {
      method: "GET",
      pattern: "/team/:team_id/webhook",
      handler: (req) => {
        requireTeam(env, req.params.team_id);
        return ok({ webhooks: ctx.webhooks.list("clickup").map(webhookView) });
      },
    },
    {
      method: "PUT",
      pattern: "/webhook/:webhook_id",
      handler: (req) => {
        const reg = ownRegistration(req.params.webhook_id);
        const body = jsonObject(req);
        // The hub has no update: re-register under the same id and secret.
        const next = {
          ...reg,
          url: body.endpoint === undefined ? reg.url : parseEndpoint(body.endpoint),
          events: body.events === undefined ? reg.events : parseEvents(body.events),
        };
        ctx.webhooks.remove(reg.id);
        return ok({ id: reg.id, webhook: webhookView(ctx.webhooks.register(next)) });
      },
    },
    {
      method: "DELETE",
      pattern: "/webhook/:webhook_id",
      handler: (req) => {
        ctx.webhooks.remove(ownRegistration(req.params.webhook_id).id);
        return ok({});
      },
    },
  ];
}
