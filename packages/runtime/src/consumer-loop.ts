import { jetstream, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";

export interface ConsumerLoopOptions {
  nc: NatsConnection;
  stream: string;
  durable: string;
  /** Messages handled at once; also how many the client holds un-acked. */
  concurrency: number;
  log: Logger;
  handle: (msg: JsMsg) => Promise<void>;
}

/**
 * Pulls from a durable consumer and runs `handle` with bounded concurrency. `stop()` stops pulling,
 * naks anything not yet started (so a replica takes it at once) and waits for what is in flight.
 */
export class ConsumerLoop {
  private messages: ConsumerMessages | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | null = null;
  private stopping = false;
  private ackWait: number | null = null;

  constructor(private readonly opts: ConsumerLoopOptions) {}

  /** The consumer's ack wait as the server has it (ms), once started: what a handler's heartbeats must beat. */
  get ackWaitMs(): number | null {
    return this.ackWait;
  }

  get busy(): number {
    return this.inFlight.size;
  }

  get running(): boolean {
    return this.messages !== null && !this.stopping;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  async start(): Promise<void> {
    const consumer = await jetstream(this.opts.nc).consumers.get(this.opts.stream, this.opts.durable);
    const ackWait = (await consumer.info(true)).config.ack_wait;
    this.ackWait = ackWait === undefined ? null : Math.round(ackWait / 1_000_000);
    this.messages = await consumer.consume({ max_messages: this.opts.concurrency });
    this.loop = this.pump(this.messages);
  }

  private async pump(messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      if (this.stopping) {
        msg.nak();
        continue;
      }
      const task = this.opts.handle(msg).catch((err) => {
        this.opts.log.error({ err, subject: msg.subject }, "message handling crashed; redelivering later");
        msg.nak(1_000);
      });
      this.inFlight.add(task);
      void task.finally(() => this.inFlight.delete(task));
      while (this.inFlight.size >= this.opts.concurrency) await Promise.race(this.inFlight);
    }
  }

  /** Stops pulling; resolves once in-flight handlers finish. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.messages?.stop();
    await Promise.allSettled([...this.inFlight]);
    await this.loop?.catch(() => undefined);
  }
}
