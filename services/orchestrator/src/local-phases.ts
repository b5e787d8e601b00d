import type { ArtifactRef, Phase } from "@pmo/contracts";
import type { ArtifactStore } from "@pmo/runtime";
import type { ArtifactReader } from "./artifact-reader.js";
import { checkContent } from "./outputs.js";
import type { WorkflowRecord } from "./record.js";
import { renderFinalReport } from "./final-report.js";
import type { Workspace } from "./workspace.js";

export type LocalOutcome = { ok: true; output: Record<string, unknown> } | { ok: false; message: string };

interface Deps {
  workspace: Workspace;
  artifacts: ArtifactStore;
  reader: Pick<ArtifactReader, "info" | "get">;
  /** The record as it will be once this phase's outcome is applied (to write the final state before archiving). */
  preview: (record: WorkflowRecord, phase: Phase, outcome: LocalOutcome) => WorkflowRecord;
}

/** Every artifact succeeded tasks declared. */
function declaredArtifacts(record: WorkflowRecord): ArtifactRef[] {
  return Object.values(record.engine.tasks).filter((t) => t.status === "succeeded").flatMap((t) => t.artifacts);
}

/** The last declaration of each path wins (a path written by two tasks is one file). */
function uniqueByPath(refs: ArtifactRef[]): ArtifactRef[] {
  return [...new Map(refs.map((r) => [r.path, r] as const)).values()];
}

/**
 * What the final report lists: the agents' artifacts plus the orchestrator's own. Taken from the record,
 * not by listing the object store, which holds every workflow's objects.
 */
function producedArtifacts(record: WorkflowRecord): ArtifactRef[] {
  const own = (record.state.phases.synchronization.output as { ownArtifacts?: ArtifactRef[] } | null)?.ownArtifacts ?? [];
  return [...declaredArtifacts(record), ...own];
}

/** Phase 4: every declared output exists in the workspace, non-empty and well-formed; writes `sync/status.json`. */
export async function runSynchronization(record: WorkflowRecord, deps: Deps): Promise<LocalOutcome> {
  const id = record.state.workflowId;
  const checked: Array<ArtifactRef & { valid: boolean; problem: string | null; replacedByLaterAttempt: boolean }> = [];
  for (const ref of uniqueByPath(declaredArtifacts(record))) {
    let problem: string | null = null;
    let replaced = false;
    try {
      // The object store is the truth the workspace mirrors. A redelivered or retried job may have
      // rewritten an artifact after its first result was accepted (a pdf's bytes differ run to run):
      // the workspace then takes the store's current copy, and the check is against that.
      const stored = await deps.reader.info(id, ref.path);
      if (!stored) problem = `${ref.path} is missing from the artifact store`;
      else {
        replaced = stored.digest !== ref.digest;
        let bytes = await deps.workspace.read(id, ref.path, stored.size);
        if (!bytes || bytes.byteLength !== stored.size) {
          const fresh = await deps.reader.get(id, ref.path);
          if (fresh) await deps.workspace.write(id, ref.path, fresh);
          bytes = await deps.workspace.read(id, ref.path, stored.size);
        }
        problem = bytes ? checkContent(ref.path, bytes) : `${ref.path} could not be written to the workspace`;
        if (!problem && bytes!.byteLength !== stored.size) problem = `${ref.path} has ${bytes!.byteLength} bytes in the workspace, ${stored.size} in the artifact store`;
      }
    } catch (err) {
      problem = `${ref.path}: ${(err as Error).message}`;
    }
    checked.push({ ...ref, valid: problem === null, problem, replacedByLaterAttempt: replaced });
  }

  const own: ArtifactRef[] = [];
  const manage = Object.values(record.engine.tasks).filter((t) => t.op === "manage");
  if (manage.length) {
    const operations = manage.flatMap((t) => ((t.output?.operations as unknown[]) ?? []).map((o) => ({ platform: t.platform, ...(o as object) })));
    own.push(await writeArtifact(record, deps, "issues/bulk-operations.json", { workflowId: id, dryRun: record.request.parameters.dryRun ?? false, operations }));
  }

  const invalid = checked.filter((c) => !c.valid);
  const status = {
    workflowId: id,
    checkedAt: new Date().toISOString(),
    consistent: invalid.length === 0,
    platforms: record.engine.platformHealth,
    artifacts: checked,
    // What a rollback needs: the previous values agents reported for what they changed.
    rollback: manage.flatMap((t) => (t.output?.rollback as unknown[]) ?? []),
  };
  own.push(await writeArtifact(record, deps, "sync/status.json", status));
  if (invalid.length) return { ok: false, message: `output validation failed: ${invalid.map((c) => c.problem).join("; ")}` };
  return { ok: true, output: { artifactsChecked: checked.length, statusFile: "sync/status.json", ownArtifacts: own } };
}

/** Phase 5: `reports/final-report.md`, the final global-state.json, then the move to `archive/<id>/`. */
export async function runReporting(record: WorkflowRecord, deps: Deps & { archive: boolean }): Promise<LocalOutcome> {
  const id = record.state.workflowId;
  const output = { finalReport: "reports/final-report.md", workspace: deps.archive ? deps.workspace.archiveDir(id) : deps.workspace.dir(id), archived: deps.archive };
  if (deps.archive && deps.workspace.isArchived(id)) return { ok: true, output }; // replay after a crash: already done
  const report = renderFinalReport(record, producedArtifacts(record), Date.now());
  await writeArtifact(record, deps, "reports/final-report.md", report);
  await deps.workspace.mirrorState(deps.preview(record, "reporting", { ok: true, output }).state);
  if (deps.archive) await deps.workspace.archive(id);
  return { ok: true, output };
}

/** A failed workflow still gets a final report saying what went wrong. */
export async function writeFailureReport(record: WorkflowRecord, deps: Pick<Deps, "workspace" | "artifacts">): Promise<void> {
  const id = record.state.workflowId;
  const report = renderFinalReport(record, producedArtifacts(record), record.engine.finishedAtMs ?? Date.now());
  await writeArtifact(record, deps, "reports/final-report.md", report);
}

async function writeArtifact(record: WorkflowRecord, deps: Pick<Deps, "workspace" | "artifacts">, path: string, content: unknown): Promise<ArtifactRef> {
  const text = typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`;
  const [ref] = await Promise.all([deps.artifacts.put(record.state.workflowId, path, text), deps.workspace.write(record.state.workflowId, path, text)]);
  return ref;
}
