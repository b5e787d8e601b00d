import { jetstream } from "@nats-io/jetstream";
import type { Logger } from "pino";
import { z } from "zod";
import { PlatformEventSchema, Subjects, type Platform, type PlatformEvent } from "@pmo/contracts";
import type { Component } from "@pmo/runtime";
import type { NatsConnection } from "@nats-io/transport-node";
import type { CursorStore } from "./cursors.js";
import type { WebhookActivity } from "./webhook-activity.js";

/**
 * `silencePoller` in `<platform>-config.json`: how often to check, and how long webhooks may stay
 * quiet before the agent stops trusting them and polls. @default every minute, after 15 minutes of silence
 */
export const SilencePollerSettingsSchema = z
  .object({
    enabled: z.boolean().default(true),
    intervalMs: z.number().int().positive().default(60_000),
    silenceMs: z.number().int().positive().default(15 * 60_000),
  })
  .default({ enabled: true, intervalMs: 60_000, silenceMs: 15 * 60_000 });
export type SilencePollerSettings = z.infer<typeof SilencePollerSettingsSchema>;

/** What one poll of the platform found: the changes since the watermark, and the new watermark (the platform's own clock). */
export interface PolledChanges {
  events: PlatformEvent[];
  /** The newest change time the platform reported (ISO-8601), or the one given when nothing changed. */
  watermark: string | null;
}

/**
 * A platform's incremental "what changed since" (inclusive): `since` is the previous watermark, or
 * null on the first poll, which only learns the watermark (the platform's clock, not ours, so no
 * skew) and should return just the newest change(s): they are remembered as seen, not published.
 * Event ids must be derived from the item and its change time, so the same change is one event.
 */
export type PollChanges = (since: string | null, signal: AbortSignal) => Promise<PolledChanges>;

/** `pmo_cursors` `<platform>.silence-poller`: where the last poll stopped. */
interface PollerCursor {
  [key: string]: unknown;
  watermark: string | null;
  /** Events already published at exactly the watermark: `since` is inclusive, so they come back next time. */
  boundaryIds: string[];
  polls: number;
}

export const SILENCE_POLLER_KEY = "silence-poller";

/**
 * Reconciles when webhooks go quiet (a platform that stopped delivering, a hook deleted by hand):
 * every `intervalMs`, if no delivery was accepted on any replica for `silenceMs`, it asks the
 * platform what changed since its watermark and publishes those events to PMO_EVENTS with their ids
 * as `Nats-Msg-Id`, and logs that it did so because webhooks were silent. Replicas polling at once
 * publish the same ids, which the stream stores once.
 */
export class WebhookSilencePoller implements Component {
  readonly name = "webhook-silence-poller";
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private readonly startedAt = Date.now();

  constructor(
    private readonly opts: {
      platform: Platform;
      nc: NatsConnection;
      settings: SilencePollerSettings;
      activity: WebhookActivity;
      cursors: CursorStore<Record<string, unknown>>;
      pollChanges: PollChanges;
      log: Logger;
    },
  ) {}

  async start(): Promise<void> {
    if (!this.opts.settings.enabled) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((err) => this.opts.log.warn({ err }, `${this.opts.platform} silence poll failed; next try in ${this.opts.settings.intervalMs} ms`))
        .finally(() => (this.running = null));
    }, this.opts.settings.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.abort.abort(new Error("stopping"));
    await this.running;
  }

  /** One check: polls only when webhooks were silent long enough. */
  async tick(): Promise<void> {
    const { platform, settings, activity, cursors, log } = this.opts;
    // Before the first delivery ever, silence counts from this agent's start, not from 1970.
    const silentForMs = Date.now() - Math.max(await activity.lastAcceptedAt(), this.startedAt);
    if (silentForMs < settings.silenceMs) return;
    const cursor = ((await cursors.get(SILENCE_POLLER_KEY)) as PollerCursor | null) ?? { watermark: null, boundaryIds: [], polls: 0 };
    const polled = await this.opts.pollChanges(cursor.watermark, this.abort.signal);
    const seen = new Set(cursor.boundaryIds);
    // The first poll is a baseline: what it sees happened before anyone could have missed it.
    // Older than the watermark means an earlier poll covered it (a platform answering loosely, or a skew margin).
    const since = cursor.watermark === null ? null : Date.parse(cursor.watermark);
    const fresh = since === null ? [] : polled.events.filter((e) => !seen.has(e.id) && Date.parse(e.at) >= since);
    const { published, duplicates } = await this.publish(fresh);
    const watermark = polled.watermark ?? cursor.watermark;
    await cursors.set(SILENCE_POLLER_KEY, { watermark, boundaryIds: boundaryIds(watermark, cursor, polled.events), polls: cursor.polls + 1 } satisfies PollerCursor);
    const detail = { silentForMs, since: cursor.watermark, watermark, published, duplicates };
    if (published > 0) log.info(detail, `${platform} webhooks were silent: polled and published ${published} missed change(s)`);
    else log.debug(detail, `${platform} webhooks were silent: polled, nothing missed`);
  }

  private async publish(events: PlatformEvent[]): Promise<{ published: number; duplicates: number }> {
    const js = jetstream(this.opts.nc);
    let published = 0;
    let duplicates = 0;
    for (const raw of events) {
      const parsed = PlatformEventSchema.safeParse(raw);
      if (!parsed.success) {
        this.opts.log.warn({ id: raw.id, issues: parsed.error.issues }, "polled change is not a valid platform event; skipped");
        continue;
      }
      const e = parsed.data;
      const ack = await js.publish(Subjects.platformEvent(e.platform, e.type), JSON.stringify(e), { msgID: e.id });
      if (ack.duplicate) duplicates++;
      else published++;
    }
    return { published, duplicates };
  }
}

/** Ids of events stamped exactly at the watermark (kept across polls while the watermark stands still). */
function boundaryIds(watermark: string | null, cursor: PollerCursor, events: PlatformEvent[]): string[] {
  if (watermark === null) return [];
  const at = Date.parse(watermark);
  const now = events.filter((e) => Date.parse(e.at) === at).map((e) => e.id);
  return cursor.watermark !== null && Date.parse(cursor.watermark) === at ? [...new Set([...cursor.boundaryIds, ...now])] : now;
}
