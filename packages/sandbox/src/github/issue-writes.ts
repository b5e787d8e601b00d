/**
 * Writes through the API, applied to the shared truth in place with the truth's own mutators (so
 * status facts stay derived from transitions, and ground truth, the other views and the control API
 * all see them), announced with `ctx.emitChange` so the kit delivers webhooks. Each aspect of a
 * PATCH is its own change, because GitHub sends one delivery per action (edited, labeled,
 * assigned, milestoned, closed…).
 */
import type { ItemChange, SandboxContext } from "../kit/types.js";
import type { Comment, Person, TruthItem } from "../truth/model.js";
import { ID_BASE, numericId } from "../truth/ids.js";
import { addComment, editFields, type ItemEdit, moveStatus, touch } from "../truth/mutate.js";
import type { IssueFields } from "./issue-input.js";
import { categoryFor, issueState, rememberDuplicate, stateReason } from "./issue-state.js";
import { NEW_LABEL_COLOR } from "./label-view.js";
import type { GitHubIndex, RepoRecord } from "./repo-index.js";

type ChangeKind = ItemChange["kind"];

/**
 * Comment ids minted through the API: GitHub's numeric sequence, in a band of their own between the
 * generator's (< 400k per truth) and the control API's (offset 900M), so none can collide.
 */
const API_COMMENT_OFFSET = 500_000_000;

export class IssueWriter {
  private commentsMade = 0;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly index: GitHubIndex,
  ) {}

  private emit(kind: ChangeKind, item: TruthItem, before: Partial<TruthItem>, by: Person): void {
    this.index.invalidateOrderings();
    this.ctx.emitChange({ platform: "github", kind, item, before, at: item.updatedAt, by: by.key });
  }

  /** GitHub creates labels that an issue write names but the repo lacks. */
  private ensureLabels(names: readonly string[]): void {
    const known = this.index.truthNow.github.labels;
    for (const name of names) {
      if (!known.some((l) => l.name === name)) known.push({ name, color: NEW_LABEL_COLOR, description: "" });
    }
  }

  create(repo: RepoRecord, fields: IssueFields & { title: string }, by: Person): TruthItem {
    const now = this.ctx.now();
    const number = this.index.nextNumber(repo);
    if (fields.labels) this.ensureLabels(fields.labels);
    const item: TruthItem = {
      platform: "github",
      id: String(number),
      seq: number,
      container: repo.fullName,
      kind: "issue",
      title: fields.title,
      description: fields.body ?? "",
      creator: by.key,
      assignees: fields.assignees ?? [],
      labels: fields.labels ?? [],
      priority: "none",
      estimatePoints: null,
      timeEstimateMs: null,
      sprint: fields.sprint ?? null,
      parentId: null,
      blockedBy: [],
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      closedAt: null,
      dueAt: null,
      // A new GitHub issue is open and not yet planned in finer detail.
      status: "todo",
      transitions: [{ at: now, from: null, to: "todo", by: by.key }],
      timeEntries: [],
      comments: [],
      reopenCount: 0,
      pr: null,
      customFields: {},
      deletedAt: null,
    };
    this.index.truthNow.items.github.push(item);
    this.emit("created", item, {}, by);
    return item;
  }

  update(item: TruthItem, fields: IssueFields, by: Person): void {
    const now = this.ctx.now();
    // One change per GitHub action, in the order GitHub would send the deliveries.
    const aspects: ItemEdit[] = [
      { ...(fields.title !== undefined && { title: fields.title }), ...(fields.body !== undefined && { description: fields.body }) },
      fields.labels ? { labels: fields.labels } : {}, // replace semantics: [] clears
      fields.assignees ? { assignees: fields.assignees } : {},
      fields.sprint !== undefined ? { sprint: fields.sprint } : {},
    ];
    for (const edit of aspects) {
      // The same set in another order is no change on GitHub (no labeled/assigned event).
      if (edit.labels && sameSet(edit.labels, item.labels)) continue;
      if (edit.assignees && sameSet(edit.assignees, item.assignees)) continue;
      if (edit.labels) this.ensureLabels(edit.labels);
      const before = editFields(item, edit, now);
      if (Object.keys(before).length > 0) this.emit("updated", item, before, by);
    }
    this.applyState(item, fields, by, now);
  }

  private applyState(item: TruthItem, fields: IssueFields, by: Person, now: number): void {
    const current = issueState(item);
    const targetState = fields.state ?? current;
    // state_reason alone only matters for a closed issue (re-classifying why it was closed).
    if (fields.state === undefined && (fields.stateReason === undefined || targetState === "open")) return;
    const reason = targetState === "closed" ? (fields.stateReason ?? (current === "closed" ? stateReason(item) : "completed")) : null;
    const wasDuplicate = stateReason(item) === "duplicate";
    const before: Partial<TruthItem> = { status: item.status, startedAt: item.startedAt, closedAt: item.closedAt };
    const moved = moveStatus(item, categoryFor(targetState, reason), now, by.key);
    rememberDuplicate(item, reason === "duplicate");
    if (moved || wasDuplicate !== (reason === "duplicate")) {
      touch(item, now);
      this.emit("status_changed", item, before, by);
    }
  }

  comment(item: TruthItem, body: string, by: Person): Comment {
    const comment: Comment = { id: numericId(ID_BASE.githubComment, API_COMMENT_OFFSET + this.commentsMade++), person: by.key, at: this.ctx.now(), body };
    addComment(item, comment);
    this.emit("comment_added", item, {}, by);
    return comment;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
