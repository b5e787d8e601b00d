import type { WebhookRegisterRequest } from "@pmo/contracts";
import type { ClickUpContext } from "./context.js";
import type { WebhookSecrets } from "./webhook-secrets.js";

/** The task events this agent turns into platform events (CU-OAS CreateWebhook's event list). */
export const TASK_EVENTS = [
  "taskCreated",
  "taskUpdated",
  "taskDeleted",
  "taskPriorityUpdated",
  "taskStatusUpdated",
  "taskAssigneeUpdated",
  "taskDueDateUpdated",
  "taskTagUpdated",
  "taskMoved",
  "taskCommentPosted",
  "taskCommentUpdated",
  "taskTimeEstimateUpdated",
  "taskTimeTrackedUpdated",
] as const;

/** A webhook as CU-OAS returns it from POST /team/{id}/webhook and from GET /team/{id}/webhook (both schemas require `secret`). */
interface ClickUpWebhook {
  id: string;
  endpoint: string;
  list_id?: string | number | null;
  secret?: string;
  health?: { status?: string };
}

/**
 * `pmo webhooks register` for ClickUp: one webhook per workspace (or on the one list asked for),
 * `POST /team/{id}/webhook`. ClickUp mints a signing secret per webhook; it goes to KV (never to
 * the reply or a log), where every replica's receiver finds it by the deliveries' `webhook_id`.
 * Asking again for the same URL reuses the existing webhook and stores its secret again from
 * `GET /team/{id}/webhook`, so a lost KV entry is repaired by registering once more.
 */
export async function registerClickUpWebhook(cu: ClickUpContext, secrets: WebhookSecrets, request: WebhookRegisterRequest): Promise<{ message: string; data?: unknown }> {
  const blocks = Object.values(cu.env.projects.projects).flatMap((p) => (p.clickup ? [p.clickup] : []));
  const lists = request.containers ?? [];
  const teams = [...new Set((lists.length ? blocks.filter((b) => lists.some((l) => b.listIds.includes(l))) : blocks).map((b) => b.teamId))];
  if (teams.length !== 1) {
    throw new Error(teams.length ? `the lists span ${teams.length} ClickUp workspaces (${teams.join(", ")}): register once per workspace with --containers` : `no configured project has ${lists.length ? `list ${lists.join(", ")}` : "a clickup block"} (config/projects.json)`);
  }
  const teamId = teams[0]!;
  const location = lists.length === 1 ? { list_id: lists[0] } : {};
  const { webhooks } = await cu.client.get<{ webhooks: ClickUpWebhook[] }>("/team/:team_id/webhook", `/team/${teamId}/webhook`);
  const existing = webhooks.find((w) => w.endpoint === request.url && String(w.list_id ?? "") === String(location.list_id ?? ""));
  const webhook =
    existing ??
    (
      await cu.client.call<{ id: string; webhook: ClickUpWebhook }>({
        method: "POST",
        endpoint: "POST /team/:team_id/webhook",
        path: `/team/${teamId}/webhook`,
        body: { endpoint: request.url, events: TASK_EVENTS, ...location },
        unsafe: true,
      })
    ).webhook;
  const kv = cu.env.kit.topology.kv.Cursors;
  if (webhook.secret) await secrets.remember(kv, webhook.id, webhook.secret, webhook.endpoint);
  const where = location.list_id ? `list ${location.list_id}` : `workspace ${teamId}`;
  const verifiedBy = webhook.secret || (await secrets.isStored(kv, webhook.id)) ? "its own secret, kept in KV for every replica" : unknownSecret(cu);
  return {
    message: `${existing ? "ClickUp webhook already registered" : "Registered ClickUp webhook"} ${webhook.id} for ${where} → ${request.url}. Its deliveries are verified with ${verifiedBy}.`,
    data: { id: webhook.id, endpoint: webhook.endpoint, location: where, events: TASK_EVENTS, health: webhook.health?.status ?? null },
  };
}

/** ClickUp answered without the webhook's secret (its schema says it never does): say what verification falls back to. */
function unknownSecret(cu: ClickUpContext): string {
  const env = cu.env.config.webhookSecretEnv ?? "CLICKUP_WEBHOOK_SECRET";
  return `the configured secret (${env}) only, because ClickUp did not return this webhook's secret: delete the webhook in ClickUp and register again`;
}
