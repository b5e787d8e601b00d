import { createHash } from "node:crypto";
import { sanitizeFileSegment, type ArtifactRef, type ManageOperation } from "@pmo/contracts";
import { PlatformHttpError } from "@pmo/platform-agent";
import type { JobContext, JobHandler } from "@pmo/runtime";
import type { PlaneAgentContext } from "./agent-context.js";
import { loadMembers, loadWritableCatalog, projectPath } from "./catalog.js";
import { isCredentialRefusal, planeFailure } from "./failures.js";
import { ManageInputSchema, parseInput, type PlaneContainers } from "./job-inputs.js";
import type { PlaneMember, PlaneWorkItem } from "./plane-types.js";
import { fieldChanges, OperationRejected, paragraphs, workItemWrite, type WritableCatalog } from "./write-fields.js";

/** `external_source` of everything this agent creates: with `external_id` = the operation's key, Plane itself refuses a duplicate (409). */
export const EXTERNAL_SOURCE = "pmo";

type Outcome = "created" | "updated" | "unchanged" | "commented" | "planned" | "failed";

export interface OperationResult {
  index: number;
  op: ManageOperation["op"];
  idempotencyKey: string;
  outcome: Outcome;
  /** The operation had already been carried out by an earlier attempt of this job (found in the ledger or by external id). */
  replayed?: boolean;
  id?: string;
  key?: string;
  url?: string;
  project?: string;
  changes?: { field: string; from: unknown; to: unknown }[];
  error?: string;
}

interface Rollback {
  id: string;
  project: string;
  action: "delete" | "restore";
  previous?: Record<string, unknown>;
}

/** What the ledger keeps once an operation is done, so a redelivered job reuses it instead of repeating it. */
type LedgerOutcome = { result: OperationResult; rollback: Rollback | null; item: unknown };

/** Stable across retries and redeliveries of the same workflow task, distinct for each operation in it. */
export function operationKey(workflowId: string, task: string, index: number, op: ManageOperation): string {
  return `pmo-${createHash("sha256").update(JSON.stringify([workflowId, task, index, op])).digest("hex").slice(0, 32)}`;
}

/**
 * Phase 3 `manage`: creates, updates, closes and comments on work items from a list of operations.
 * Each operation has an idempotency key recorded in `pmo_ledger` before the call; creates carry it as
 * `external_id`, so a create whose fate is unknown (crash, reset, malformed answer) is looked up —
 * or refused by Plane with 409 and the existing id — instead of made twice. `dryRun` reads but never
 * writes, and reports exactly the changes an applied run would make.
 */
export function manageHandler(agent: PlaneAgentContext): JobHandler {
  return async (ctx) => {
    const input = parseInput(ManageInputSchema, ctx.job.input, ctx.job.project);
    try {
      return await new BulkManager(agent, ctx, input.containers, input.dryRun).run(input.operations);
    } catch (err) {
      throw planeFailure(err, { credentialEnv: agent.env.credentialEnv, container: `workspace ${input.containers.workspace}` });
    }
  };
}

class BulkManager {
  private readonly catalogs = new Map<string, Promise<WritableCatalog>>();
  /** In a dry run, items as the operations planned so far would leave them: a later operation on the same item is planned against that. */
  private readonly planned = new Map<string, PlaneWorkItem>();
  private members: Map<string, PlaneMember> | null = null;
  private readonly slug: string;

  constructor(
    private readonly agent: PlaneAgentContext,
    private readonly ctx: JobContext,
    private readonly containers: PlaneContainers,
    private readonly dryRun: boolean,
  ) {
    this.slug = containers.workspace;
  }

  async run(operations: ManageOperation[]) {
    this.members = await loadMembers(this.agent.client, this.slug, this.ctx.signal);
    const results: OperationResult[] = [];
    const rollback: Rollback[] = [];
    const artifacts: ArtifactRef[] = [];
    for (const [index, op] of operations.entries()) {
      this.ctx.signal.throwIfAborted();
      const key = operationKey(this.ctx.job.workflowId, this.ctx.job.task, index, op);
      const base = { index, op: op.op, idempotencyKey: key };
      let done: LedgerOutcome;
      try {
        done = this.dryRun ? await this.plan(op, base) : await this.apply(op, base);
      } catch (err) {
        // One bad operation (unknown label, 400, missing item) does not stop the bulk; the credential or an outage does.
        if (!(err instanceof OperationRejected) && !(err instanceof PlatformHttpError && !err.recoverable && !isCredentialRefusal(err))) throw err;
        done = { result: { ...base, outcome: "failed", error: err.message }, rollback: null, item: null };
      }
      results.push(done.result);
      if (done.rollback) rollback.push(done.rollback);
      if (!this.dryRun && done.item && done.result.key) {
        artifacts.push(await this.ctx.artifacts.putJson(this.ctx.job.workflowId, `issues/${sanitizeFileSegment(done.result.key)}.json`, { platform: "plane", operation: op, result: done.result, item: done.item }));
      }
      this.ctx.heartbeat();
    }
    const metrics = {
      tasksCreated: results.filter((r) => r.outcome === "created").length,
      tasksUpdated: results.filter((r) => r.outcome === "updated").length,
      tasksCompleted: results.filter((r, i) => r.outcome === "updated" && (operations[i]!.op === "close" || r.changes?.some((c) => c.field === "state" && this.closes(r.project, c.to)))).length,
    };
    const summary = { platform: "plane", dryRun: this.dryRun, generatedAt: new Date().toISOString(), operations: results, metrics, rollback };
    artifacts.push(await this.ctx.artifacts.putJson(this.ctx.job.workflowId, "issues/plane-bulk-operations.json", summary));
    return { output: { operations: results, metrics, rollback, dryRun: this.dryRun, failed: results.filter((r) => r.outcome === "failed").length }, artifacts };
  }

  private closedStates = new Map<string, Set<string>>();

  private closes(project: string | undefined, stateId: unknown): boolean {
    return project !== undefined && this.closedStates.get(project)?.has(String(stateId)) === true;
  }

  private catalog(projectId: string): Promise<WritableCatalog> {
    let c = this.catalogs.get(projectId);
    if (!c) {
      c = loadWritableCatalog(this.agent.client, this.slug, projectId, this.agent.settings.pageSize, this.ctx.signal).then((cat) => {
        this.closedStates.set(projectId, new Set([...cat.states.values()].filter((s) => this.agent.mapper.categoryOf(s) === "done").map((s) => s.id)));
        return cat;
      });
      this.catalogs.set(projectId, c);
    }
    return c;
  }

  /** Where a create goes: the operation's project (id or identifier), else the configured default. */
  private async targetProject(op: ManageOperation): Promise<WritableCatalog> {
    const wanted = op.container ?? this.containers.defaultProjectId ?? this.containers.projectIds[0]!;
    if (this.containers.projectIds.includes(wanted)) return this.catalog(wanted);
    for (const id of this.containers.projectIds) {
      const cat = await this.catalog(id);
      if (cat.project.identifier.toLowerCase() === wanted.toLowerCase()) return cat;
    }
    throw new OperationRejected(`project "${wanted}" is not among the configured Plane projects (${this.containers.projectIds.join(", ")})`);
  }

  /** The item an update/close/comment names: by key (`WEB-12`) or by id in the operation's project or any configured one. */
  private async targetItem(op: ManageOperation): Promise<{ item: PlaneWorkItem & { description_html?: string }; catalog: WritableCatalog }> {
    const { client } = this.agent;
    const id = op.id!;
    if (/^[A-Za-z][A-Za-z0-9]*-\d+$/.test(id)) {
      const item = await client.call<PlaneWorkItem>({ method: "GET", path: `workspaces/${this.slug}/work-items/${id.toUpperCase()}/`, endpoint: "GET workspaces/:slug/work-items/:key/", accept: [404], signal: this.ctx.signal });
      if (item.status === 200) return { item: item.body, catalog: await this.catalog(item.body.project) };
    } else {
      for (const projectId of op.container ? [op.container] : this.containers.projectIds) {
        const item = await client.call<PlaneWorkItem>({ method: "GET", path: `${projectPath(this.slug, projectId)}/work-items/${id}/`, endpoint: "GET projects/:id/work-items/:id/", accept: [404], signal: this.ctx.signal });
        if (item.status === 200) return { item: item.body, catalog: await this.catalog(projectId) };
      }
    }
    throw new OperationRejected(`work item ${id} was not found in the configured Plane projects`);
  }

  private describe(item: PlaneWorkItem, catalog: WritableCatalog) {
    return {
      id: item.id,
      key: `${catalog.project.identifier}-${item.sequence_id}`,
      url: `${this.agent.webBase}/${this.slug}/projects/${item.project}/issues/${item.id}`,
      project: item.project,
    };
  }

  private writeContext(catalog: WritableCatalog) {
    return { catalog, members: this.members!, settings: this.agent.settings, mapper: this.agent.mapper };
  }

  private async plan(op: ManageOperation, base: Pick<OperationResult, "index" | "op" | "idempotencyKey">): Promise<LedgerOutcome> {
    if (op.op === "create") {
      const catalog = await this.targetProject(op);
      const write = workItemWrite(op, this.writeContext(catalog));
      const changes = Object.entries(write).map(([field, to]) => ({ field, from: null, to }));
      return { result: { ...base, outcome: "planned", project: catalog.project.id, changes }, rollback: null, item: null };
    }
    const target = await this.targetItem(op);
    const { catalog } = target;
    const item = this.planned.get(target.item.id) ?? target.item;
    let changes: OperationResult["changes"] = [{ field: "comment", from: null, to: op.description }];
    if (op.op !== "comment") {
      const write = workItemWrite(op, this.writeContext(catalog));
      changes = fieldChanges(item, write);
      this.planned.set(item.id, { ...item, ...write });
    }
    return { result: { ...base, outcome: "planned", ...this.describe(item, catalog), changes }, rollback: null, item: null };
  }

  private async apply(op: ManageOperation, base: Pick<OperationResult, "index" | "op" | "idempotencyKey">): Promise<LedgerOutcome> {
    const { ledger } = this.agent.env;
    const key = base.idempotencyKey;
    const earlier = await ledger.get(key);
    if (earlier?.state === "done") return this.replayed(earlier.outcome as LedgerOutcome);
    switch (op.op) {
      case "create":
        return this.create(op, base, (await ledger.begin(key, { op })) !== null);
      case "comment":
        return this.comment(op, base, (await ledger.begin(key, { op })) !== null);
      default:
        return this.update(op, base);
    }
  }

  private replayed(outcome: LedgerOutcome): LedgerOutcome {
    return { ...outcome, result: { ...outcome.result, replayed: true } };
  }

  private async finish(key: string, outcome: LedgerOutcome): Promise<LedgerOutcome> {
    await this.agent.env.ledger.complete(key, { op: outcome.result.op }, outcome);
    return outcome;
  }

  private async create(op: ManageOperation, base: Pick<OperationResult, "index" | "op" | "idempotencyKey">, uncertain: boolean): Promise<LedgerOutcome> {
    const { client } = this.agent;
    const catalog = await this.targetProject(op);
    const write = workItemWrite(op, this.writeContext(catalog));
    const path = `${projectPath(this.slug, catalog.project.id)}/work-items/`;
    let item: PlaneWorkItem | null = null;
    let replayed = false;
    if (uncertain) {
      // An earlier attempt began this create and its fate is unknown: look it up before creating.
      const found = await client.call<PlaneWorkItem>({ method: "GET", path, endpoint: "GET projects/:id/work-items/?external_id", query: { external_id: base.idempotencyKey, external_source: EXTERNAL_SOURCE }, accept: [404], signal: this.ctx.signal });
      if (found.status === 200) [item, replayed] = [found.body, true];
    }
    if (!item) {
      const created = await client.call<PlaneWorkItem & { id: string }>({
        method: "POST",
        path,
        endpoint: "POST projects/:id/work-items/",
        body: { ...write, external_id: base.idempotencyKey, external_source: EXTERNAL_SOURCE },
        accept: [409],
        signal: this.ctx.signal,
      });
      if (created.status === 409) {
        // Plane refused a duplicate external id and named the existing item: the earlier attempt's.
        item = await client.get<PlaneWorkItem>(`${path}${created.body.id}/`, "GET projects/:id/work-items/:id/", undefined, this.ctx.signal);
        replayed = true;
      } else item = created.body;
    }
    const changes = Object.entries(write).map(([field, to]) => ({ field, from: null, to }));
    const described = this.describe(item, catalog);
    return this.finish(base.idempotencyKey, {
      result: { ...base, outcome: "created", ...(replayed ? { replayed } : {}), ...described, changes },
      rollback: { id: item.id, project: catalog.project.id, action: "delete" },
      item,
    });
  }

  private async update(op: ManageOperation, base: Pick<OperationResult, "index" | "op" | "idempotencyKey">): Promise<LedgerOutcome> {
    const { client, env } = this.agent;
    const { item, catalog } = await this.targetItem(op);
    const write = workItemWrite(op, this.writeContext(catalog));
    // PATCH is idempotent; the ledger keeps the values from before the first attempt for the rollback.
    const earlier = await env.ledger.begin(base.idempotencyKey, { op, previous: item });
    const before = (earlier?.state === "pending" ? (earlier.intent as { previous: typeof item }).previous : item) ?? item;
    const pending = fieldChanges(item, write);
    let after: PlaneWorkItem = item;
    if (pending.length > 0) {
      const body = Object.fromEntries(pending.map((c) => [c.field, c.to]));
      after = await client.call<PlaneWorkItem>({ method: "PATCH", path: `${projectPath(this.slug, item.project)}/work-items/${item.id}/`, endpoint: "PATCH projects/:id/work-items/:id/", body, signal: this.ctx.signal }).then((r) => r.body);
    }
    const changes = fieldChanges(before, write);
    const previous = Object.fromEntries(changes.map((c) => [c.field, c.from]));
    return this.finish(base.idempotencyKey, {
      result: { ...base, outcome: changes.length > 0 ? "updated" : "unchanged", ...this.describe(after, catalog), changes },
      rollback: changes.length > 0 ? { id: item.id, project: item.project, action: "restore", previous } : null,
      item: after,
    });
  }

  private async comment(op: ManageOperation, base: Pick<OperationResult, "index" | "op" | "idempotencyKey">, uncertain: boolean): Promise<LedgerOutcome> {
    const { client } = this.agent;
    const { item, catalog } = await this.targetItem(op);
    const path = `${projectPath(this.slug, item.project)}/work-items/${item.id}/comments/`;
    let found = false;
    if (uncertain) {
      for await (const page of client.pages<{ id: string; external_id?: string | null }>(path, "GET work-items/:id/comments/", {}, this.agent.settings.pageSize, this.ctx.signal)) {
        if (page.results.some((c) => c.external_id === base.idempotencyKey)) found = true;
      }
    }
    if (!found) {
      // Plane refuses a comment with a known external id (409): a repeat after an unknown outcome is harmless.
      await client.call({ method: "POST", path, endpoint: "POST work-items/:id/comments/", body: { comment_html: paragraphs(op.description!), external_id: base.idempotencyKey, external_source: EXTERNAL_SOURCE }, accept: [409], signal: this.ctx.signal });
    }
    return this.finish(base.idempotencyKey, {
      result: { ...base, outcome: "commented", ...(found ? { replayed: true } : {}), ...this.describe(item, catalog), changes: [{ field: "comment", from: null, to: op.description }] },
      rollback: null,
      item,
    });
  }
}
