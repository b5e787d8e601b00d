import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { jetstream, type JetStreamClient } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { Counter, type Registry } from "prom-client";
import { PlatformEventSchema, Subjects, type Platform, type PlatformEvent } from "@pmo/contracts";

/** What a platform agent teaches the receiver: how its deliveries are signed and what they mean. */
export interface WebhookAdapter {
  /** The header that carries the signature (a delivery without it is refused with 401). */
  signatureHeader: string;
  /** Verifies the signature over the exact raw bytes; must compare with `constantTimeEqual`. `secret` is the configured one ("" when `ownSecrets` and none is configured). */
  verify(rawBody: Buffer, headers: IncomingHttpHeaders, secret: string): boolean;
  /**
   * The adapter knows secrets of its own (ClickUp mints one per registered webhook), so a missing
   * configured secret does not mean every delivery is unverifiable: `verify` decides.
   */
  ownSecrets?: boolean;
  /** A verified, parsed delivery as normalised events; each event's `id` is the platform's delivery/change id. */
  normalise(payload: unknown, headers: IncomingHttpHeaders, receivedAt: Date): PlatformEvent[];
}

/** @default 1 MiB: platforms' payloads are far smaller (GitHub caps at 25 MB, but issue events are KBs). */
export const DEFAULT_WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** Compares two strings in constant time (for equal lengths; unequal lengths fail at once, which leaks only the length). */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

type Outcome = "accepted" | "duplicate" | "ignored" | "missing_signature" | "bad_signature" | "too_large" | "not_json" | "invalid_event" | "publish_failed" | "method";

/**
 * `POST /webhooks/<platform>`: checks size, signature (over the raw body) and JSON, normalises, and
 * publishes each event to PMO_EVENTS with its platform id as `Nats-Msg-Id`, so a redelivered webhook
 * is stored once. Every refusal has its status and a counter; nothing is dropped silently: if the
 * bus cannot take the event, the platform gets a 503 and retries.
 */
export class WebhookReceiver {
  private readonly js: JetStreamClient;
  private readonly deliveries: Counter<"platform" | "outcome">;

  constructor(
    private readonly opts: {
      nc: NatsConnection;
      platform: Platform;
      adapter: WebhookAdapter;
      secret: string | undefined;
      log: Logger;
      registry: Registry;
      bodyLimit?: number;
      /** Called after events were published (the poller uses it to know webhooks are alive). */
      onAccepted?: (events: PlatformEvent[]) => void;
    },
  ) {
    this.js = jetstream(opts.nc);
    this.deliveries = new Counter({ name: "pmo_webhook_deliveries_total", help: "Webhook deliveries by outcome", labelNames: ["platform", "outcome"], registers: [opts.registry] });
  }

  get path(): string {
    return `/webhooks/${this.opts.platform}`;
  }

  handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const answer = (status: number, outcome: Outcome, body: Record<string, unknown>) => {
      this.deliveries.inc({ platform: this.opts.platform, outcome });
      if (status >= 400) this.opts.log.warn({ outcome, status, delivery: req.headers["x-github-delivery"] ?? req.headers["x-plane-delivery"] ?? null }, "webhook delivery refused");
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (req.method !== "POST") return answer(405, "method", { error: "POST only" });
    if (!this.opts.secret && !this.opts.adapter.ownSecrets) return answer(401, "bad_signature", { error: "no webhook secret is configured for this agent; refusing unsigned deliveries" });
    const limit = this.opts.bodyLimit ?? DEFAULT_WEBHOOK_BODY_LIMIT;
    if (Number(req.headers["content-length"] ?? 0) > limit) {
      req.resume();
      return answer(413, "too_large", { error: `body over ${limit} bytes` });
    }
    const raw = await readCapped(req, limit);
    if (raw === null) return answer(413, "too_large", { error: `body over ${limit} bytes` });
    const { adapter } = this.opts;
    if (!req.headers[adapter.signatureHeader.toLowerCase()]) return answer(401, "missing_signature", { error: `missing ${adapter.signatureHeader}` });
    if (!adapter.verify(raw, req.headers, this.opts.secret ?? "")) return answer(401, "bad_signature", { error: "signature does not match the body" });
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString("utf8"));
    } catch {
      return answer(400, "not_json", { error: "body is not JSON" });
    }
    let events: PlatformEvent[];
    try {
      events = adapter.normalise(payload, req.headers, new Date()).map((e) => PlatformEventSchema.parse(e));
    } catch (err) {
      return answer(422, "invalid_event", { error: `could not normalise the delivery: ${(err as Error).message}` });
    }
    if (events.length === 0) return answer(200, "ignored", { accepted: 0 });
    let duplicates = 0;
    try {
      for (const e of events) {
        const ack = await this.js.publish(Subjects.platformEvent(e.platform, e.type), JSON.stringify(e), { msgID: e.id });
        if (ack.duplicate) duplicates++;
      }
    } catch (err) {
      this.opts.log.error({ err }, "could not publish webhook events");
      return answer(503, "publish_failed", { error: "event bus unavailable, retry later" });
    }
    this.opts.onAccepted?.(events);
    answer(200, duplicates === events.length ? "duplicate" : "accepted", { accepted: events.length - duplicates, duplicates });
  };
}

/** Reads the body, or null once it passes `limit` bytes (the rest is discarded). */
function readCapped(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(over ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
