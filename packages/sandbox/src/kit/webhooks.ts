/**
 * Webhook registry and delivery. Each change is rendered at once by the platform's dialect (so the
 * body shows the item as it was at that moment) and POSTed in the background: an API answer never
 * waits for a receiver. Deliveries to one registration keep their order; every attempt is recorded.
 */
import { request } from "undici";
import type { Platform } from "../truth/model.js";
import { derivedUuid } from "../truth/prng.js";
import type { ItemChange, PlatformDialect, WebhookDelivery, WebhookRegistration } from "./types.js";

export interface DeliveryAttempt {
  registrationId: string;
  changeId: string;
  url: string;
  attempt: number;
  /** HTTP status of the receiver's answer; null when the request failed. */
  status: number | null;
  error: string | null;
  ok: boolean;
  /** Real epoch ms of the attempt. */
  at: number;
}

export interface WebhookHubOptions {
  seed: number;
  /** @default 3: the first try plus two retries on network errors and 5xx (ClickUp retries 5×, Plane only on network errors; 3 keeps tests quick). */
  maxAttempts?: number;
  /** @default 50 ms between attempts, doubled each time (real time). */
  retryDelayMs?: number;
  /** @default 10,000 ms: GitHub's documented receiver deadline. */
  timeoutMs?: number;
  /** @default 1,000 attempts kept. */
  historyCapacity?: number;
}

export class WebhookHub {
  private readonly registrations = new Map<string, WebhookRegistration>();
  private readonly queues = new Map<string, Promise<void>>();
  private attempts: DeliveryAttempt[] = [];
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  private registered = 0;

  constructor(private readonly options: WebhookHubOptions) {}

  register(reg: Omit<WebhookRegistration, "id"> & { id?: string }): WebhookRegistration {
    const full: WebhookRegistration = { ...reg, id: reg.id ?? derivedUuid(this.options.seed, "webhook", this.registered++) };
    this.registrations.set(full.id, full);
    return { ...full };
  }

  list(platform?: Platform): WebhookRegistration[] {
    return [...this.registrations.values()].filter((r) => platform === undefined || r.platform === platform).map((r) => ({ ...r }));
  }

  remove(id: string): boolean {
    return this.registrations.delete(id);
  }

  /** Renders the change for every registration of its platform and queues the deliveries. */
  dispatch(change: ItemChange, dialect: PlatformDialect | undefined): void {
    if (!dialect) return;
    for (const reg of this.registrations.values()) {
      if (reg.platform !== change.platform) continue;
      const delivery = dialect.renderWebhook(change, reg);
      if (delivery) this.enqueue(reg, change.id, delivery);
    }
  }

  deliveries(): DeliveryAttempt[] {
    return [...this.attempts];
  }

  /** Resolves once every queued delivery has finished (tests await this instead of sleeping). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  reset(): void {
    this.registrations.clear();
    this.attempts = [];
    this.registered = 0;
  }

  private enqueue(reg: WebhookRegistration, changeId: string, delivery: WebhookDelivery): void {
    this.pending++;
    const previous = this.queues.get(reg.id) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(reg, changeId, delivery)).finally(() => {
      if (--this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
    });
    this.queues.set(reg.id, next);
  }

  private async deliver(reg: WebhookRegistration, changeId: string, delivery: WebhookDelivery): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    let delay = this.options.retryDelayMs ?? 50;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const record: DeliveryAttempt = { registrationId: reg.id, changeId, url: reg.url, attempt, status: null, error: null, ok: false, at: Date.now() };
      try {
        const res = await request(reg.url, {
          method: "POST",
          headers: delivery.headers,
          body: delivery.body,
          headersTimeout: this.options.timeoutMs ?? 10_000,
          bodyTimeout: this.options.timeoutMs ?? 10_000,
        });
        await res.body.dump();
        record.status = res.statusCode;
        record.ok = res.statusCode >= 200 && res.statusCode < 300;
      } catch (err) {
        record.error = err instanceof Error ? err.message : String(err);
      }
      this.remember(record);
      // 4xx is the receiver's verdict (e.g. a bad signature): retrying would not change it.
      if (record.ok || (record.status !== null && record.status < 500)) return;
      if (attempt < maxAttempts) await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }

  private remember(record: DeliveryAttempt): void {
    this.attempts.push(record);
    const cap = this.options.historyCapacity ?? 1_000;
    if (this.attempts.length > cap) this.attempts.splice(0, this.attempts.length - cap);
  }
}
