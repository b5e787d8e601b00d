import type { CursorStore } from "./cursors.js";

/** The `pmo_cursors` key (under the platform) holding the last accepted webhook delivery. */
export const WEBHOOK_ACTIVITY_KEY = "webhook-activity";

/** Writes to KV at most this often per process: a burst of deliveries is one write, not hundreds. */
const WRITE_EVERY_MS = 1_000;

/**
 * When a verified webhook delivery was last accepted, by any replica: each replica records its own
 * in KV `pmo_cursors` (`<platform>.webhook-activity`), so a poller on a replica that receives no
 * traffic still knows the platform's webhooks are alive.
 */
export class WebhookActivity {
  private lastLocal = 0;
  private lastWritten = 0;
  private writing: Promise<void> | null = null;

  constructor(private readonly cursors: CursorStore<Record<string, unknown>>) {}

  /** Called by the receiver after it published a delivery's events. Never throws (a delivery must not fail over bookkeeping). */
  recordAccepted(at = Date.now()): void {
    this.lastLocal = Math.max(this.lastLocal, at);
    if (this.writing || at - this.lastWritten < WRITE_EVERY_MS) return;
    this.lastWritten = at;
    this.writing = this.cursors
      .set(WEBHOOK_ACTIVITY_KEY, { lastAcceptedAt: this.lastLocal })
      .catch(() => undefined)
      .finally(() => (this.writing = null));
  }

  /** Epoch ms of the newest accepted delivery on any replica, 0 if none was ever recorded. */
  async lastAcceptedAt(): Promise<number> {
    const shared = await this.cursors.get(WEBHOOK_ACTIVITY_KEY);
    return Math.max(this.lastLocal, Number(shared?.lastAcceptedAt ?? 0));
  }
}
