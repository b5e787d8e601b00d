import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { Subjects, describeIssues, type AdminReply, type Platform } from "@pmo/contracts";
import type { z } from "zod";

/** A command an agent answers outside workflows, with the schema of its request. */
export interface AdminCommand<S extends z.ZodType> {
  schema: S;
  run(request: z.infer<S>): Promise<{ message: string; data?: unknown }>;
}

/**
 * Answers `pmo.admin.<platform>.<command>` requests (a queue group, so one replica answers each).
 * Bad requests and failures come back as `{ok: false, message}`, never as silence.
 */
export class AdminResponder {
  readonly name = "admin";
  private sub: Subscription | null = null;

  constructor(
    private readonly nc: NatsConnection,
    private readonly platform: Platform,
    private readonly commands: Record<string, AdminCommand<z.ZodType>>,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const prefix = Subjects.agentAdmin(this.platform, "");
    this.sub = this.nc.subscribe(`${prefix}>`, {
      queue: `${this.platform}-agent`,
      callback: (_err, msg) => {
        const command = msg.subject.slice(prefix.length);
        void this.answer(command, msg.data).then((reply) => msg.respond(JSON.stringify(reply)));
      },
    });
  }

  private async answer(command: string, data: Uint8Array): Promise<AdminReply> {
    const handler = this.commands[command];
    if (!handler) return { ok: false, message: `${this.platform}-agent has no command "${command}" (known: ${Object.keys(this.commands).join(", ") || "none"})` };
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(data) || "{}");
    } catch {
      return { ok: false, message: "the request is not JSON" };
    }
    const parsed = handler.schema.safeParse(body);
    if (!parsed.success) return { ok: false, message: `bad request: ${describeIssues(parsed.error).join("; ")}` };
    try {
      return { ok: true, ...(await handler.run(parsed.data)) };
    } catch (err) {
      this.log.warn({ err, command }, "admin command failed");
      return { ok: false, message: (err as Error).message };
    }
  }

  async stop(): Promise<void> {
    await this.sub?.drain();
  }
}
