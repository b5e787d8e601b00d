/**
 * The control API's "mutate": change an item as if someone worked on it in the platform's UI,
 * keeping the truth's invariants, emitting the changes (hence webhooks) and telling the emulator.
 */
import { ID_BASE, numericId } from "../truth/ids.js";
import type { Platform, StatusCategory, TruthItem } from "../truth/model.js";
import { addComment, editFields, markDeleted, moveStatus, type ItemEdit } from "../truth/mutate.js";
import { derivedUuid } from "../truth/prng.js";
import type { ItemChange, PlatformDialect, SandboxContext } from "./types.js";

export interface MutationRequest {
  platform: Platform;
  /** Native id; for GitHub also give `container` ("owner/repo"), since numbers repeat across repos. */
  id: string;
  container?: string;
  status?: StatusCategory;
  fields?: ItemEdit;
  comment?: string;
  delete?: boolean;
  /** Person.key of the actor; default the first assignee, else the creator. */
  by?: string;
}

export class UnknownItemError extends Error {
  override readonly name = "UnknownItemError";
  constructor(readonly platform: Platform, readonly itemId: string) {
    super(`no live ${platform} item ${itemId}`);
  }
}

/** Offset for comment ids minted here, beyond any the generator uses (≤ 4 per item, ≤ 100k items). */
const CONTROL_COMMENT_OFFSET = 900_000_000;

export class ItemMutator {
  private comments = 0;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly dialectOf: (platform: Platform) => PlatformDialect | undefined,
  ) {}

  apply(m: MutationRequest): ItemChange[] {
    const item = this.ctx.truth.items[m.platform].find(
      (i) => i.id === m.id && i.deletedAt === null && (m.container === undefined || i.container === m.container),
    );
    if (!item) throw new UnknownItemError(m.platform, m.id);
    const at = this.ctx.now();
    const by = m.by ?? item.assignees[0] ?? item.creator;
    const changes: ItemChange[] = [];
    const emit = (kind: ItemChange["kind"], before: Partial<TruthItem>, snapshot: TruthItem = item) =>
      changes.push(this.ctx.emitChange({ platform: m.platform, kind, item: snapshot, before, at, by }));

    if (m.fields) {
      const before = editFields(item, m.fields, at);
      if (Object.keys(before).length) emit("updated", before);
    }
    if (m.status) {
      const previous = { status: item.status, startedAt: item.startedAt, closedAt: item.closedAt };
      if (moveStatus(item, m.status, at, by)) emit("status_changed", previous);
    }
    if (m.comment !== undefined) {
      addComment(item, { id: this.commentId(m.platform), person: by, at, body: m.comment });
      emit("comment_added", {});
    }
    if (m.delete) {
      const snapshot = structuredClone(item);
      markDeleted(item, at);
      emit("deleted", { deletedAt: null }, snapshot);
    }
    const dialect = this.dialectOf(m.platform);
    for (const change of changes) dialect?.itemMutated?.(change);
    return changes;
  }

  reset(): void {
    this.comments = 0;
  }

  private commentId(platform: Platform): string {
    const n = this.comments++;
    switch (platform) {
      case "clickup":
        return numericId(ID_BASE.clickupComment, CONTROL_COMMENT_OFFSET + n);
      case "github":
        return numericId(ID_BASE.githubComment, CONTROL_COMMENT_OFFSET + n);
      case "plane":
        return derivedUuid(this.ctx.truth.seed, "control-comment", n);
    }
  }
}
