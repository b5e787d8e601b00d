import type { WebhookRegisterRequest } from "@pmo/contracts";
import type { ClickUpContext } from "./context.js";

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

interface ClickUpWebhook {
  id: string;
  endpoint: string;
  list_id?: string | number | null;
  secret?: string;
  health?: { status?: string };
}

/**
 * `pmo webhooks register` for ClickUp: one webhook per workspace (or on the one list asked for),
 * `POST /team/{id}/webhook`. ClickUp mints the signing secret itself and a receiver checks one
 * secret, so one webhook serves all lists and the reply says where to put its secret. Asking again
 * for the same URL returns the existing webhook instead of making a second one.
 */
export async function registerClickUpWebhook(cu: ClickUpContext, request: WebhookRegisterRequest): Promise<{ message: string; data?: unknown }> {
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
  const secretEnv = cu.env.config.webhookSecretEnv ?? "CLICKUP_WEBHOOK_SECRET";
  const where = location.list_id ? `list ${location.list_id}` : `workspace ${teamId}`;
  return {
    message: `${existing ? "ClickUp webhook already registered" : "Registered ClickUp webhook"} ${webhook.id} for ${where} → ${request.url}. ClickUp signs with its own secret (below): set ${secretEnv} to it (webhookSecretEnv in clickup-config.json) and restart clickup-agent.`,
    data: { id: webhook.id, endpoint: webhook.endpoint, location: where, events: TASK_EVENTS, secret: webhook.secret, health: webhook.health?.status ?? null },
  };
}
