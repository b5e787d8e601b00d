import { DeliverPolicy, jetstream } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { Bucket, Stream, Subjects, WorkflowEventEnvelopeSchema, type GlobalState, type WorkflowEvent } from "@pmo/contracts";
import { getJson, kvKey } from "@pmo/runtime";

export type FollowOutcome =
  | { kind: "finished"; workflowId: string; state: GlobalState; partial: boolean }
  | { kind: "rejected"; errors: string[] }
  | { kind: "accepted"; workflowId: string }
  | { kind: "timeout"; workflowId: string | null };

/**
 * Follows the events of one request from the stream position where it was published (so nothing is
 * missed), until it is rejected, accepted (`untilAccepted`) or finished. KV is polled as well, so a
 * lost event never leaves the CLI waiting forever.
 */
export async function followRequest(
  nc: NatsConnection,
  opts: { requestId: string; fromSeq: number; timeoutMs: number; untilAccepted?: boolean; onEvent?: (e: WorkflowEvent) => void },
): Promise<FollowOutcome> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(Stream.Workflows, { filter_subjects: Subjects.workflowEventsAll, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: opts.fromSeq });
  const kvm = new Kvm(nc);
  const workflows = await kvm.open(Bucket.Workflows);
  const ledger = await kvm.open(Bucket.Ledger);
  const until = Date.now() + opts.timeoutMs;
  let workflowId: string | null = null;
  let lastPoll = 0;
  const finished = async (id: string): Promise<FollowOutcome | null> => {
    const rec = await getJson<{ state: GlobalState; engine: { platformHealth: Record<string, string> } }>(workflows, id);
    const st = rec?.value.state;
    if (!st || (st.status !== "complete" && st.status !== "error")) return null;
    return { kind: "finished", workflowId: id, state: st, partial: Object.values(rec!.value.engine.platformHealth).includes("error") };
  };
  while (Date.now() < until) {
    const msg = await consumer.next({ expires: 1_000 });
    if (msg) {
      const parsed = WorkflowEventEnvelopeSchema.safeParse(msg.json());
      if (!parsed.success) continue;
      const e = parsed.data.payload;
      const mine = e.requestId === opts.requestId || (workflowId !== null && e.workflowId === workflowId);
      if (!mine) continue;
      if (e.type === "workflow.rejected") return { kind: "rejected", errors: e.errors ?? [e.message ?? "rejected"] };
      if (e.workflowId) workflowId = e.workflowId;
      opts.onEvent?.(e);
      if ((e.type === "workflow.accepted" || e.type === "workflow.duplicate") && opts.untilAccepted) return { kind: "accepted", workflowId: e.workflowId! };
      if (e.type === "workflow.completed" || e.type === "workflow.failed" || e.type === "workflow.duplicate") {
        const done = await finished(workflowId!);
        if (done) return done;
      }
    }
    // Events are progress, KV is truth: a lost event must not leave us waiting. Without the
    // accepted event, the request's claim in the ledger says which workflow it became.
    if (Date.now() - lastPoll > 2_000) {
      lastPoll = Date.now();
      workflowId ??= (await getJson<{ workflowId: string }>(ledger, kvKey("request", opts.requestId)).catch(() => null))?.value.workflowId ?? null;
      if (workflowId && opts.untilAccepted) return { kind: "accepted", workflowId };
      const done = workflowId ? await finished(workflowId) : null;
      if (done) return done;
    }
  }
  return { kind: "timeout", workflowId };
}
