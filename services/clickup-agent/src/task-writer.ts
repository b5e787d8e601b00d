import { setTimeout as sleep } from "node:timers/promises";
import type { ManageOperation } from "@pmo/contracts";
import { PlatformHttpError, isRecoverable, type LedgerEntry } from "@pmo/platform-agent";
import type { ClickUpContext } from "./context.js";
import type { ClickUpUser, ListInfo } from "./hierarchy.js";
import type { OperationOutcome } from "./manage-outcome.js";
import { markerOf, withMarker } from "./operation-key.js";
import { priorityFromTask, priorityToWire } from "./priority.js";
import type { ClickUpStatus } from "./status-category.js";
import type { ClickUpTask, TaskPage } from "./task-shape.js";

/** Newest pages of a list searched for an uncertain create's marker. @default 5 (500 tasks) */
export const MARKER_SEARCH_PAGES = 5;

/** An operation that cannot be done as asked (unknown assignee, no list): that operation fails, the bulk goes on. */
export class OperationRejected extends Error {
  override name = "OperationRejected";
}

type Changes = OperationOutcome["changes"];
/** What one operation produced, before its index and op are added. */
type Step = Omit<Partial<OperationOutcome>, "outcome"> & { outcome: OperationOutcome["outcome"] };

/**
 * Performs one manage operation against ClickUp exactly once: the intent goes to the ledger before
 * the call and the outcome after it. A `done` entry is reused; a `pending` one means an earlier
 * attempt's fate is unknown, so the item is looked up by its marker before anything is created again.
 */
export class TaskWriter {
  private members: Promise<ClickUpUser[]> | null = null;
  private readonly lists = new Map<string, Promise<ListInfo & { statuses: ClickUpStatus[] }>>();

  constructor(
    private readonly cu: ClickUpContext,
    private readonly opts: { teamId: string; defaultListId: string | null; dryRun: boolean; signal: AbortSignal },
  ) {}

  async run(index: number, op: ManageOperation, key: string): Promise<OperationOutcome> {
    const base = { index, op: op.op, id: op.id ?? null, url: null, key: null, changes: [] as Changes };
    try {
      switch (op.op) {
        case "create":
          return { ...base, ...(await this.create(op, key)) };
        case "update":
        case "close":
          return { ...base, ...(await this.update(op, key)) };
        case "comment":
          return { ...base, ...(await this.comment(op, key)) };
      }
    } catch (err) {
      // Bad input for this one operation (400/404, unknown assignee): report it and go on.
      if (err instanceof OperationRejected || (err instanceof PlatformHttpError && !isRecoverable(err) && err.status !== 401)) {
        return { ...base, outcome: "failed", error: err.message };
      }
      throw err;
    }
  }

  private async create(op: ManageOperation, key: string): Promise<Step> {
    const listId = op.container ?? this.opts.defaultListId;
    if (!listId) throw new OperationRejected("no list to create in: give --list-id (or container) or set defaultListId in config/projects.json");
    const body: Record<string, unknown> = { name: op.title };
    if (op.assignee) body.assignees = [await this.memberId(op.assignee)];
    if (op.priority) body.priority = priorityToWire(op.priority, this.cu.settings);
    if (op.labels?.length) body.tags = op.labels;
    if (op.dueDate) body.due_date = Date.parse(op.dueDate);
    if (op.status) body.status = op.status;
    const changes: Changes = Object.entries({ ...body, description: op.description }).filter(([, v]) => v !== undefined).map(([field, to]) => ({ field, from: null, to }));
    if (this.opts.dryRun) return { outcome: "planned", changes, id: null, title: op.title };
    body.description = withMarker(op.description, key);

    const done = await this.settled(key, { op: "create", listId });
    if (done) return done;
    for (let attempt = 0; ; attempt++) {
      try {
        const task = await this.cu.client.call<ClickUpTask>({ method: "POST", endpoint: "POST /list/:list_id/task", path: `/list/${listId}/task`, body, signal: this.opts.signal, unsafe: true });
        return this.finish(key, { op: "create", listId }, this.created(task, changes));
      } catch (err) {
        if (!isRecoverable(err) || attempt >= this.cu.settings.retries) throw err;
        // The create may have happened: look before trying again.
        const found = await this.findByMarker(listId, key);
        if (found) return this.finish(key, { op: "create", listId }, { ...this.created(found, changes), reused: true });
        await sleep(this.cu.settings.retryMinMs * 2 ** attempt, undefined, { signal: this.opts.signal });
      }
    }
  }

  private created(task: ClickUpTask, changes: Changes): Step {
    return { outcome: "created", id: task.id, url: task.url ?? `https://app.clickup.com/t/${task.id}`, key: task.custom_id || `CU-${task.id}`, title: task.name, changes, rollback: { action: "delete", id: task.id } };
  }

  private async update(op: ManageOperation, key: string): Promise<Step> {
    const id = op.id!;
    const task = await this.cu.client.get<ClickUpTask>("/task/:task_id", `/task/${id}`, undefined, this.opts.signal);
    const body: Record<string, unknown> = {};
    const changes: Changes = [];
    const listId = String(task.list?.id);
    const status = op.op === "close" ? await this.closedStatus(listId) : op.status ? await this.statusName(listId, op.status) : undefined;
    let completed = false;
    if (status !== undefined && status.toLowerCase() !== task.status.status.toLowerCase()) {
      body.status = status;
      changes.push({ field: "status", from: task.status.status, to: status });
      completed = (await this.categoryOf(listId, status)) === "done";
    }
    if (op.title && op.title !== task.name) (body.name = op.title), changes.push({ field: "name", from: task.name, to: op.title });
    if (op.description !== undefined && op.description !== (task.description ?? "")) (body.description = op.description), changes.push({ field: "description", from: task.description ?? "", to: op.description });
    if (op.priority) {
      const wire = priorityToWire(op.priority, this.cu.settings);
      if (priorityFromTask(wire) !== priorityFromTask(task.priority)) (body.priority = wire), changes.push({ field: "priority", from: priorityFromTask(task.priority), to: priorityFromTask(wire) });
    }
    if (op.assignee) {
      const member = await this.memberId(op.assignee);
      if (!(task.assignees ?? []).some((a) => a.id === member)) (body.assignees = { add: [member], rem: [] }), changes.push({ field: "assignees", from: null, to: op.assignee });
    }
    if (op.dueDate) {
      const due = Date.parse(op.dueDate);
      if (String(due) !== String(task.due_date ?? "")) (body.due_date = due), changes.push({ field: "due_date", from: task.due_date ?? null, to: due });
    }
    const newLabels = (op.labels ?? []).filter((l) => !(task.tags ?? []).some((t) => t.name.toLowerCase() === l.toLowerCase()));
    for (const l of newLabels) changes.push({ field: "tags", from: null, to: l });
    const outcome = op.op === "close" ? "closed" : "updated";
    const url = task.url ?? `https://app.clickup.com/t/${id}`;
    const common = { id, url, key: task.custom_id || `CU-${id}`, title: op.title ?? task.name };
    if (this.opts.dryRun) return { ...common, outcome: "planned", changes, completed };

    const previous = { status: task.status.status, name: task.name, description: task.description ?? "", priority: priorityFromTask(task.priority), due_date: task.due_date ?? null, assignees: (task.assignees ?? []).map((a) => a.id) };
    const earlier = await this.cu.env.ledger.begin(key, { op: op.op, id, previous });
    if (earlier?.state === "done") return { ...(earlier.outcome as Step), reused: true };
    // A pending earlier attempt may already have applied the change: its `previous` is the real one.
    const rollbackOf = (earlier?.intent as { previous?: unknown } | undefined)?.previous ?? previous;
    // Updates set values (not deltas), so repeating one after an uncertain outcome is harmless.
    if (Object.keys(body).length) await this.cu.client.call({ method: "PUT", endpoint: "PUT /task/:task_id", path: `/task/${id}`, body, signal: this.opts.signal });
    for (const l of newLabels) await this.cu.client.call({ method: "POST", endpoint: "POST /task/:task_id/tag/:tag_name", path: `/task/${id}/tag/${encodeURIComponent(l)}`, body: {}, signal: this.opts.signal });
    const result: Step = { ...common, outcome, changes, completed, rollback: { action: "restore", id, previous: rollbackOf } };
    await this.cu.env.ledger.complete(key, { op: op.op, id }, result);
    return result;
  }

  private async comment(op: ManageOperation, key: string): Promise<Step> {
    const id = op.id!;
    const changes = [{ field: "comment", from: null, to: op.description }];
    if (this.opts.dryRun) return { id, outcome: "planned", changes };
    const done = await this.settled(key, { op: "comment", id }, async () => {
      const { comments } = await this.cu.client.get<{ comments: { id: string; comment_text?: string }[] }>("/task/:task_id/comment", `/task/${id}/comment`, undefined, this.opts.signal);
      const c = comments.find((x) => x.comment_text?.includes(markerOf(key)));
      return c ? { id, outcome: "commented" as const, commentId: String(c.id), changes, reused: true } : null;
    });
    if (done) return done;
    const res = await this.cu.client.call<{ id: string | number }>({ method: "POST", endpoint: "POST /task/:task_id/comment", path: `/task/${id}/comment`, body: { comment_text: withMarker(op.description, key), notify_all: false }, signal: this.opts.signal, unsafe: true });
    return this.finish(key, { op: "comment", id }, { id, outcome: "commented", commentId: String(res.id), changes, rollback: { action: "delete-comment", id, commentId: String(res.id) } });
  }

  /**
   * Records the intent; returns the outcome when an earlier attempt already did the work (from the
   * ledger, or found on ClickUp after an uncertain attempt), null when the call should be made.
   */
  private async settled(key: string, intent: Record<string, unknown>, lookup?: () => Promise<Step | null>): Promise<Step | null> {
    let earlier: LedgerEntry<Record<string, unknown>> | null = await this.cu.env.ledger.begin(key, intent);
    if (!earlier) return null;
    // Another replica may still be inside the call: give it the time a call can take.
    while (earlier?.state === "pending" && Date.now() - Date.parse(earlier.startedAt) < this.cu.settings.inFlightGraceMs) {
      await sleep(250, undefined, { signal: this.opts.signal });
      earlier = await this.cu.env.ledger.get(key);
    }
    if (earlier?.state === "done") return { ...(earlier.outcome as Step), reused: true };
    const found = lookup ? await lookup() : intent.listId ? await this.findByMarker(String(intent.listId), key).then((t) => (t ? { ...this.created(t, []), reused: true } : null)) : null;
    if (found) await this.cu.env.ledger.complete(key, intent, found);
    return found;
  }

  private async finish(key: string, intent: Record<string, unknown>, outcome: Step): Promise<Step> {
    await this.cu.env.ledger.complete(key, intent, outcome);
    return outcome;
  }

  /** The newest tasks of the list, searched for the marker (ClickUp has no external-id lookup). */
  private async findByMarker(listId: string, key: string): Promise<ClickUpTask | null> {
    const marker = markerOf(key);
    for (let page = 0; page < MARKER_SEARCH_PAGES; page++) {
      const body = await this.cu.client.get<TaskPage>("/list/:list_id/task", `/list/${listId}/task`, { order_by: "created", reverse: true, include_closed: true, subtasks: true, page }, this.opts.signal);
      const hit = body.tasks.find((t) => (t.description ?? t.text_content ?? "").includes(marker));
      if (hit) return hit;
      if (body.last_page === true || body.tasks.length < 100) return null;
    }
    return null;
  }

  /** A ClickUp user id from an id, a username or an email. */
  private async memberId(who: string): Promise<number> {
    this.members ??= this.cu.client
      .get<{ teams: { id: string; members?: { user: ClickUpUser }[] }[] }>("/team", "/team", undefined, this.opts.signal)
      .then(({ teams }) => (teams.find((t) => String(t.id) === this.opts.teamId)?.members ?? []).map((m) => m.user));
    const wanted = who.trim().toLowerCase();
    const member = (await this.members).find((m) => String(m.id) === wanted || m.username?.toLowerCase() === wanted || m.email?.toLowerCase() === wanted);
    if (!member) throw new OperationRejected(`assignee ${JSON.stringify(who)} is not a member of ClickUp workspace ${this.opts.teamId}`);
    return member.id;
  }

  private list(listId: string): Promise<ListInfo & { statuses: ClickUpStatus[] }> {
    let p = this.lists.get(listId);
    if (!p) {
      p = this.cu.client.get<{ id: string; name: string; statuses?: ClickUpStatus[] }>("/list/:list_id", `/list/${listId}`, undefined, this.opts.signal).then((l) => ({ id: l.id, name: l.name, folder: null, spaceId: "", sprint: null, statuses: l.statuses ?? [] }));
      this.lists.set(listId, p);
    }
    return p;
  }

  /** The list's status for `wanted`: its own name, or the first status of that category ("done", "in_review"). */
  private async statusName(listId: string, wanted: string): Promise<string> {
    const { statuses } = await this.list(listId);
    const exact = statuses.find((s) => s.status.toLowerCase() === wanted.toLowerCase());
    if (exact) return exact.status;
    return statuses.find((s) => this.cu.categorizer.categorize(s) === wanted)?.status ?? wanted;
  }

  private async categoryOf(listId: string, statusName: string): Promise<string> {
    const { statuses } = await this.list(listId);
    const s = statuses.find((x) => x.status.toLowerCase() === statusName.toLowerCase()) ?? { status: statusName };
    return this.cu.categorizer.categorize(s);
  }

  private async closedStatus(listId: string): Promise<string> {
    const { statuses } = await this.list(listId);
    const done = statuses.find((s) => this.cu.categorizer.categorize(s) === "done") ?? statuses.find((s) => s.type === "closed" || s.type === "done");
    if (!done) throw new OperationRejected(`list ${listId} has no closed status`);
    return done.status;
  }
}
