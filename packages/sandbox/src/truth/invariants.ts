/** The consistency rules every item of the truth obeys; tests (ours and the emulators') check them. */
import { lastActivityAt, statusFacts } from "./derive.js";
import type { Truth, TruthItem } from "./model.js";

/** Human-readable violations for one item; empty when the item is consistent. */
export function itemViolations(item: TruthItem): string[] {
  const v: string[] = [];
  const t = item.transitions;
  if (t.length === 0 || t[0]!.from !== null || t[0]!.at !== item.createdAt) v.push("transitions[0] must be the creation entry at createdAt");
  for (let i = 1; i < t.length; i++) {
    if (t[i]!.at < t[i - 1]!.at) v.push(`transition ${i} goes back in time`);
    if (t[i]!.from !== t[i - 1]!.to) v.push(`transition ${i} does not start where ${i - 1} ended`);
  }
  if (t.length) {
    const f = statusFacts(t);
    if (item.status !== f.status) v.push(`status ${item.status} != last transition ${f.status}`);
    if (item.startedAt !== f.startedAt) v.push("startedAt != first entry into in_progress");
    if (item.closedAt !== f.closedAt) v.push("closedAt inconsistent with the last transition");
    if (item.reopenCount !== f.reopenCount) v.push("reopenCount != reopen transitions");
  }
  if (item.updatedAt < lastActivityAt(item)) v.push("updatedAt before an event");
  for (const c of item.comments) if (c.at < item.createdAt) v.push(`comment ${c.id} before creation`);
  for (const e of item.timeEntries) if (e.startAt < item.createdAt || e.durationMs <= 0) v.push(`time entry ${e.id} out of range`);
  if ((item.kind === "pull_request") !== (item.pr !== null)) v.push("pr facts iff kind is pull_request");
  if (item.pr) {
    if ((item.pr.mergedAt !== null) !== (item.status === "done")) v.push("a PR is done exactly when merged");
    for (const r of item.pr.reviews) if (item.pr.reviewRequestedAt === null || r.at < item.pr.reviewRequestedAt) v.push(`review ${r.id} before review was requested`);
  }
  if (item.kind === "subtask" && item.parentId === null) v.push("subtask without parent");
  return v;
}

/** All violations across the truth, prefixed with platform and id; also checks id uniqueness and references. */
export function truthViolations(truth: Truth): string[] {
  const out: string[] = [];
  for (const platform of ["clickup", "github", "plane"] as const) {
    const byKey = new Map<string, TruthItem>();
    for (const item of truth.items[platform]) {
      const key = `${item.container}#${item.id}`;
      if (byKey.has(key)) out.push(`${platform} ${key}: duplicate id`);
      byKey.set(key, item);
    }
    for (const item of truth.items[platform]) {
      for (const msg of itemViolations(item)) out.push(`${platform} ${item.id}: ${msg}`);
      for (const ref of [item.parentId, ...item.blockedBy]) {
        if (ref === null) continue;
        const target = byKey.get(`${item.container}#${ref}`);
        if (!target) out.push(`${platform} ${item.id}: reference ${ref} not in the same container`);
        else if (target.deletedAt !== null && item.deletedAt === null) out.push(`${platform} ${item.id}: live item points at deleted ${ref}`);
      }
    }
  }
  return out;
}
