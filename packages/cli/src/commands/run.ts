import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Objm } from "@nats-io/obj";
import type { NatsConnection } from "@nats-io/transport-node";
import { ObjectStore, Stream, Subjects, type GlobalState, type WorkflowRequest } from "@pmo/contracts";
import { ArtifactStore } from "@pmo/runtime";
import { connectCli } from "../connection.js";
import { followRequest } from "../follow.js";
import { Progress } from "../progress.js";
import { requestFromFlags, type RunFlags } from "../request-flags.js";

/** Exit codes a script can branch on. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2, Partial: 3, Timeout: 4 } as const;

/** @default 30 min for --wait */
const DEFAULT_WAIT_MS = 30 * 60_000;

export async function runCommand(flags: RunFlags, out = process.stdout): Promise<number> {
  const request = requestFromFlags(flags);
  const nc = await connectCli();
  try {
    return await submitRequest(nc, request, flags, out);
  } finally {
    await nc.close();
  }
}

/** Publishes a validated request and reports its outcome as `pmo run` does (also used by `pmo demo`). */
export async function submitRequest(nc: NatsConnection, request: WorkflowRequest, flags: Pick<RunFlags, "wait" | "json" | "timeout">, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  {
    await requireWorkflowStream(nc);
    const ack = await jetstream(nc).publish(Subjects.workflowRequest, JSON.stringify(request), { msgID: request.requestId! });
    const timeoutMs = flags.timeout ? Number(flags.timeout) * 1_000 : flags.wait ? DEFAULT_WAIT_MS : 15_000;
    const progress = flags.wait && !flags.json ? new Progress(out) : null;
    if (!flags.json) out.write(`request ${request.requestId} published${ack.duplicate ? " (duplicate: already received)" : ""}\n`);
    const outcome = await followRequest(nc, { requestId: request.requestId!, fromSeq: ack.seq, timeoutMs, untilAccepted: !flags.wait, onEvent: (e) => progress?.event(e) });
    progress?.done();
    switch (outcome.kind) {
      case "rejected":
        if (flags.json) out.write(`${JSON.stringify({ requestId: request.requestId, status: "rejected", errors: outcome.errors })}\n`);
        else out.write(`rejected:\n  - ${outcome.errors.join("\n  - ")}\n`);
        return ExitCode.Usage;
      case "accepted":
        if (flags.json) out.write(`${JSON.stringify({ requestId: request.requestId, workflowId: outcome.workflowId, status: "in_progress" })}\n`);
        else out.write(`workflow ${outcome.workflowId} started; follow it with: pmo status ${outcome.workflowId}\n`);
        return ExitCode.Ok;
      case "timeout":
        out.write(`no ${flags.wait ? "outcome" : "answer from the orchestrator"} within ${Math.round(timeoutMs / 1000)} s${outcome.workflowId ? ` (workflow ${outcome.workflowId})` : " — is the orchestrator running? (pmo up)"}\n`);
        return ExitCode.Timeout;
      case "finished": {
        const artifacts = await new ArtifactStore(await new Objm(nc).open(ObjectStore.Artifacts)).list(outcome.workflowId);
        const workspace = workspaceOf(outcome.state);
        const code = outcome.state.status === "error" ? ExitCode.Failed : outcome.partial ? ExitCode.Partial : ExitCode.Ok;
        if (flags.json) {
          out.write(`${JSON.stringify({ requestId: request.requestId, workflowId: outcome.workflowId, status: outcome.state.status, partial: outcome.partial, workspace, artifacts, state: outcome.state })}\n`);
          return code;
        }
        out.write(`\n${outcome.workflowId}: ${outcome.state.status}${outcome.partial ? " (some platforms failed: see reports/final-report.md)" : ""} in ${(outcome.state.metadata.executionTime / 1000).toFixed(1)} s\n`);
        for (const e of outcome.state.metadata.errors.filter((x) => x.context.code === "workflow_failed")) out.write(`error: ${e.message}\n`);
        for (const line of manageLines(outcome.state)) out.write(`${line}\n`);
        if (artifacts.length) {
          out.write(`artifacts${workspace ? ` (in ${workspace})` : ""}:\n`);
          for (const a of artifacts) out.write(`  ${workspace ? join(workspace, a.path) : a.path}  ${a.size} B\n`);
        }
        out.write(`copy them anywhere with: pmo artifacts ${outcome.workflowId} --out <dir>\n`);
        return code;
      }
    }
  }
}

/** The orchestrator creates the streams; without them a publish would fail with a puzzling JetStream error. */
async function requireWorkflowStream(nc: NatsConnection): Promise<void> {
  try {
    await (await jetstreamManager(nc)).streams.info(Stream.Workflows);
  } catch (err) {
    throw new Error(`the mesh is not up on ${nc.getServer()}: no ${Stream.Workflows} stream (${(err as Error).message}). Start it with pmo up.`, { cause: err });
  }
}

/** Waits (for `pmo demo`, right after starting the mesh) until the orchestrator has created the streams. */
export async function waitForWorkflowStream(nc: NatsConnection, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await requireWorkflowStream(nc);
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

interface OperationOutcome {
  op?: string;
  outcome?: string;
  id?: string | null;
  key?: string | null;
  url?: string | null;
  title?: string | null;
  error?: string | null;
}

/** What a manage workflow did, one line per operation: `clickup: created CU-86abc "T" → https://…`. */
export function manageLines(state: GlobalState): string[] {
  const lines: string[] = [];
  for (const [name, sub] of Object.entries(state.phases.actions.subphases)) {
    if (!name.startsWith("manage:")) continue;
    const platform = name.slice("manage:".length);
    const ops = ((sub.output as { operations?: OperationOutcome[] } | null)?.operations ?? []) as OperationOutcome[];
    for (const op of ops) {
      const what = [op.key ?? op.id, op.title ? JSON.stringify(op.title) : null].filter(Boolean).join(" ");
      lines.push(op.error ? `${platform}: ${op.op ?? "operation"} ${what} failed: ${op.error}` : `${platform}: ${op.outcome ?? op.op ?? "done"} ${what}${op.url ? ` → ${op.url}` : ""}`);
    }
  }
  return lines;
}

function workspaceOf(state: GlobalState): string | null {
  const out = state.phases.reporting.output as { workspace?: string } | null;
  return out?.workspace ?? null;
}
