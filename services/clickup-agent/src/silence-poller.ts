import { jetstream } from "@nats-io/jetstream";
import { Subjects, type PlatformEvent } from "@pmo/contracts";
import type { Component } from "@pmo/runtime";
import type { ClickUpContext } from "./context.js";
import { msOrNull } from "./hierarchy.js";
import { TASKS_PER_PAGE, type TaskPage } from "./task-shape.js";
import { webhookActivity } from "./webhook-activity.js";

/** What `pmo_cursors` (`clickup.poller-<team>`) holds: ClickUp's clock as of the last poll, and the last webhook any replica saw. */
interface PollerCursor {
  [key: string]: unknown;
  watermark: number;
  lastWebhookAt: number;
}

/**
 * Reconciles when webhooks go quiet: every `intervalMs`, if no verified delivery arrived for
 * `silenceMs` (on any replica), it asks ClickUp what changed since its watermark and publishes
 * the missed changes to PMO_EVENTS as `item.updated`, saying so in the log. Ids are
 * `clickup:poll:<task>:<date_updated>`, so replicas polling at once store each change once. The
 * first poll only sets the watermark from ClickUp's newest task (its clock, not ours).
 */
export class SilencePoller implements Component {
  readonly name = "webhook-silence-poller";
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();

  constructor(private readonly cu: ClickUpContext) {}

  async start(): Promise<void> {
    const { poller } = this.cu.settings;
    if (!poller.enabled) return;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.pollAll().catch((err) => this.cu.env.log.warn({ err }, "clickup poll failed")).finally(() => (this.running = null));
    }, poller.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.abort.abort(new Error("stopping"));
    await this.running;
  }

  private async pollAll(): Promise<void> {
    const blocks = Object.values(this.cu.env.projects.projects).flatMap((p) => (p.clickup ? [p.clickup] : []));
    const byTeam = new Map<string, Set<string>>();
    for (const b of blocks) for (const l of b.listIds) (byTeam.get(b.teamId) ?? byTeam.set(b.teamId, new Set()).get(b.teamId)!).add(l);
    for (const [teamId, lists] of byTeam) await this.poll(teamId, [...lists]);
  }

  private async poll(teamId: string, lists: string[]): Promise<void> {
    const { env, client, settings } = this.cu;
    const key = `poller-${teamId}`;
    const cursor = ((await env.cursors.get(key)) as PollerCursor | null) ?? { watermark: 0, lastWebhookAt: 0 };
    const lastWebhookAt = Math.max(cursor.lastWebhookAt, webhookActivity.lastAcceptedAt);
    if (Date.now() - lastWebhookAt < settings.poller.silenceMs) {
      if (lastWebhookAt !== cursor.lastWebhookAt) await env.cursors.set(key, { ...cursor, lastWebhookAt });
      return;
    }
    const signal = this.abort.signal;
    const query = { include_closed: true, subtasks: true, list_ids: lists, order_by: "updated", reverse: true };
    if (cursor.watermark === 0) {
      const { tasks } = await client.get<TaskPage>("/team/:team_id/task", `/team/${teamId}/task`, { ...query, page: 0 }, signal);
      await env.cursors.set(key, { watermark: Math.max(0, ...tasks.map((t) => msOrNull(t.date_updated) ?? 0)), lastWebhookAt });
      return;
    }
    const events: PlatformEvent[] = [];
    let newest = cursor.watermark;
    for (let page = 0; ; page++) {
      const body = await client.get<TaskPage>("/team/:team_id/task", `/team/${teamId}/task`, { ...query, date_updated_gt: cursor.watermark - settings.clockSkewMs, page }, signal);
      for (const t of body.tasks) {
        const at = msOrNull(t.date_updated) ?? 0;
        newest = Math.max(newest, at);
        if (at <= cursor.watermark) continue; // the skew overlap, already reported
        events.push({ id: `clickup:poll:${t.id}:${at}`, platform: "clickup", type: "item.updated", itemRef: { platform: "clickup", id: t.id }, at: new Date(at).toISOString(), actor: null, changes: [{ field: "status", from: null, to: t.status?.status ?? null }] });
      }
      if (body.last_page === true || body.tasks.length < TASKS_PER_PAGE) break;
    }
    const js = jetstream(env.nc);
    for (const e of events) await js.publish(Subjects.platformEvent("clickup", e.type), JSON.stringify(e), { msgID: e.id });
    await env.cursors.set(key, { watermark: newest, lastWebhookAt });
    if (events.length) env.log.info({ teamId, events: events.length, silentForMs: Date.now() - lastWebhookAt }, "clickup webhooks were silent: polled and published the missed changes");
  }
}
