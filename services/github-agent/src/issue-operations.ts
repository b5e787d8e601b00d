import type { ManageOperation } from "@pmo/contracts";
import type { OperationLedger } from "@pmo/platform-agent";
import type { GitHubClient } from "./github-client.js";
import { resolveIssue } from "./issue-ref.js";
import { itemId } from "./normalise.js";
import { marker, withMarker } from "./op-marker.js";
import { split } from "./repo-collector.js";
import type { GitHubSettings } from "./settings.js";
import { isStatusLabel, statusWrite } from "./status-write.js";
import { labelName, type GhIssue } from "./wire.js";

/** The outcome of one operation, as `issues/github-bulk-operations.json` lists it (merged by the orchestrator into `issues/bulk-operations.json`). */
export interface OperationOutcome {
  index: number;
  op: ManageOperation["op"];
  outcome: "created" | "updated" | "closed" | "commented" | "unchanged" | "planned" | "failed";
  id: string | null;
  url: string | null;
  /** The GitHub request(s) that make (or would make) it happen. */
  request: { method: string; path: string; body: Record<string, unknown> } | null;
  /** Field values before the change (for rollback); null for creations. */
  previous: Record<string, unknown> | null;
  notes: string[];
  error?: string;
  /** The issue as GitHub returned it (for issues/<id>.json). */
  issue?: GhIssue;
}

type Body = Record<string, unknown>;

/** Newest issues scanned for a marker: @default 3 pages of 100. */
export const MARKER_SCAN_PAGES = 3;

/**
 * One bulk operation against GitHub: planned (dry run: what exactly would be sent, nothing sent) or
 * applied under the ledger (intent recorded before the call; on a `pending` intent from an earlier,
 * interrupted attempt the item is looked up by its body marker before anything is created again).
 */
export class IssueOperations {
  constructor(
    private readonly client: GitHubClient,
    private readonly settings: GitHubSettings,
    private readonly ledger: OperationLedger<Record<string, unknown>>,
    private readonly defaultRepo: string,
  ) {}

  async plan(op: ManageOperation, index: number, key: string, signal: AbortSignal): Promise<OperationOutcome> {
    const { request, previous, notes, repo, number } = await this.prepare(op, key, signal);
    return { index, op: op.op, outcome: "planned", id: number ? itemId(repo, number) : null, url: null, request, previous, notes };
  }

  async apply(op: ManageOperation, index: number, key: string, signal: AbortSignal): Promise<OperationOutcome> {
    const finished = await this.ledger.get(key);
    if (finished?.state === "done") return finished.outcome as unknown as OperationOutcome;
    const prepared = await this.prepare(op, key, signal);
    const { request, previous, notes, repo } = prepared;
    const earlier = await this.ledger.begin(key, request);
    if (earlier?.state === "done") return earlier.outcome as unknown as OperationOutcome;
    let issue: GhIssue | null = null;
    if (earlier?.state === "pending" && (op.op === "create" || op.op === "comment")) issue = await this.findByMarker(repo, prepared.number, key, signal);
    let outcome: OperationOutcome["outcome"];
    if (op.op === "comment") {
      if (!issue) await this.client.send(`${request.method} ${request.path}`, request.body, signal);
      issue = (await this.client.get<GhIssue>("GET /repos/{owner}/{repo}/issues/{issue_number}", { ...split(repo), issue_number: prepared.number }, { signal })).data!;
      outcome = "commented";
    } else if (op.op === "create") {
      issue ??= await this.client.send<GhIssue>(`${request.method} ${request.path}`, request.body, signal);
      outcome = "created";
    } else if (Object.keys(request.body).length === 0) {
      issue = prepared.current!;
      outcome = "unchanged";
    } else {
      issue = await this.client.send<GhIssue>(`${request.method} ${request.path}`, request.body, signal);
      outcome = op.op === "close" || request.body.state === "closed" ? "closed" : "updated";
    }
    const result: OperationOutcome = { index, op: op.op, outcome, id: itemId(repo, issue.number), url: issue.html_url, request, previous, notes, issue };
    await this.ledger.complete(key, request, result as unknown as Record<string, unknown>);
    return result;
  }

  /**
   * The issue's comments, or the newest-created issues, carrying the marker: the earlier attempt did
   * get through. Newest first, without `since`: our clock and the platform's may disagree, and an
   * uncertain create is among the latest anyway (the first pages suffice).
   */
  private async findByMarker(repo: string, number: number | null, key: string, signal: AbortSignal): Promise<GhIssue | null> {
    const tag = marker(key);
    if (number !== null) {
      const comments = await this.client.all<{ body?: string }>("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...split(repo), issue_number: number }, signal);
      return comments.some((c) => c.body?.includes(tag)) ? ({ number } as GhIssue) : null;
    }
    let page = await this.client.page<GhIssue>("GET /repos/{owner}/{repo}/issues", { ...split(repo), state: "all", sort: "created", direction: "desc", per_page: 100 }, { signal });
    for (let pages = 1; ; pages++) {
      const found = page.items.find((i) => i.body?.includes(tag));
      if (found) return found;
      if (!page.next || pages >= MARKER_SCAN_PAGES) return null;
      page = await this.client.nextPage<GhIssue>(page.next, signal);
    }
  }

  /** The exact request an operation makes, and the current values it would replace. */
  private async prepare(op: ManageOperation, key: string, signal: AbortSignal) {
    const notes: string[] = [];
    if (op.dueDate) notes.push("GitHub issues have no due date: dueDate ignored");
    if (op.op === "create") {
      const repo = op.container ?? this.defaultRepo;
      const labels = [...(op.labels ?? [])];
      if (op.priority) labels.push(this.settings.priorityWriteLabels[op.priority]);
      const body: Body = { title: op.title, body: withMarker(op.description, key), labels };
      if (op.assignee) body.assignees = [op.assignee];
      if (op.status) {
        const s = statusWrite(op.status, this.settings);
        if (s?.label) labels.push(s.label);
        else if (s) notes.push(`status "${op.status}" applies after creation: create opens the issue`);
        else notes.push(`status "${op.status}" has no GitHub meaning: ignored`);
      }
      return { repo, number: null, current: null, previous: null, notes, request: { method: "POST", path: `/repos/${repo}/issues`, body } };
    }
    const { repo, number } = resolveIssue(op.id!, op.container, this.defaultRepo);
    if (op.op === "comment") {
      return { repo, number, current: null, previous: null, notes, request: { method: "POST", path: `/repos/${repo}/issues/${number}/comments`, body: { body: withMarker(op.description, key) } as Body } };
    }
    const current = (await this.client.get<GhIssue>("GET /repos/{owner}/{repo}/issues/{issue_number}", { ...split(repo), issue_number: number }, { signal })).data!;
    const body: Body = {};
    const previous: Record<string, unknown> = {};
    const set = (field: string, now: unknown, before: unknown) => {
      if (JSON.stringify(now) === JSON.stringify(before)) return;
      body[field] = now;
      previous[field] = before;
    };
    const labelsBefore = current.labels.map(labelName);
    let labels = [...(op.labels ?? labelsBefore)];
    if (op.title) set("title", op.title, current.title);
    if (op.description !== undefined) set("body", op.description, current.body ?? null);
    if (op.assignee) set("assignees", [op.assignee], (current.assignees ?? []).map((u) => u.login));
    if (op.priority) labels = [...labels.filter((l) => !(l in this.settings.priorityLabels)), this.settings.priorityWriteLabels[op.priority]];
    const status = op.op === "close" ? { state: "closed" as const, state_reason: "completed" as const } : op.status ? statusWrite(op.status, this.settings) : undefined;
    if (status === null) notes.push(`status "${op.status}" has no GitHub meaning: ignored`);
    if (status?.label) labels = [...labels.filter((l) => !isStatusLabel(l, this.settings)), status.label];
    if (status?.state === "closed") labels = labels.filter((l) => !isStatusLabel(l, this.settings));
    set("labels", labels, labelsBefore);
    if (status?.state) set("state", status.state, current.state);
    if (status?.state_reason && body.state) {
      body.state_reason = status.state_reason;
      previous.state_reason = current.state_reason ?? null;
    }
    return { repo, number, current, previous, notes, request: { method: "PATCH", path: `/repos/${repo}/issues/${number}`, body } };
  }
}
