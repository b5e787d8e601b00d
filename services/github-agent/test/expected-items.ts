/**
 * The test's own reading of the sandbox's ground truth as a GitHub user would see it, written from
 * the TruthItem and GitHub's documented semantics, independently of the agent's normaliser.
 */
import type { StatusCategory, Truth, TruthItem } from "@pmo/sandbox";

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const closed = (c: StatusCategory) => c === "done" || c === "cancelled";

export interface ExpectedItem {
  id: string;
  key: string;
  kind: "issue" | "pull_request";
  title: string;
  statusCategory: StatusCategory;
  priority: "none";
  assignees: string[];
  labels: string[];
  container: { id: string; name: string; kind: "repo" };
  iteration: { id: string; name: string; startAt: null; endAt: string } | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  dueAt: null;
  estimate: null;
  /** Item ids of the live issues blocking it (the truth names blockers by number in the same repo), sorted. */
  blockedBy: string[];
  history: { at: string; toCategory: StatusCategory }[];
}

/** Open PR: draft → in_progress; last APPROVED/CHANGES_REQUESTED review says changes → in_progress; else in_review. */
function openPullCategory(item: TruthItem): StatusCategory {
  if (item.pr!.draft) return "in_progress";
  const deciding = item.pr!.reviews.filter((r) => r.state !== "COMMENTED");
  return deciding[deciding.length - 1]?.state === "CHANGES_REQUESTED" ? "in_progress" : "in_review";
}

function category(item: TruthItem): StatusCategory {
  if (closed(item.status)) return item.status;
  return item.kind === "pull_request" ? openPullCategory(item) : "todo";
}

function history(item: TruthItem): ExpectedItem["history"] {
  const out: ExpectedItem["history"] = [];
  const push = (at: number, to: StatusCategory) => {
    if (out[out.length - 1]?.toCategory !== to) out.push({ at: iso(at), toCategory: to });
  };
  if (item.kind === "issue") {
    push(item.createdAt, "todo");
    for (const t of item.transitions.slice(1)) {
      if (closed(t.to) !== closed(t.from!)) push(t.at, closed(t.to) ? t.to : "todo");
    }
    return out;
  }
  const pr = item.pr!;
  push(item.createdAt, pr.draft ? "in_progress" : "in_review");
  const moments: { at: number; to: StatusCategory | "approved" }[] = pr.reviews
    .filter((r) => r.state !== "COMMENTED")
    .map((r) => ({ at: r.at, to: r.state === "CHANGES_REQUESTED" ? ("in_progress" as const) : ("approved" as const) }));
  if (pr.mergedAt !== null) moments.push({ at: pr.mergedAt, to: "done" });
  else if (item.status === "cancelled") moments.push({ at: item.closedAt!, to: "cancelled" });
  moments.sort((a, b) => a.at - b.at);
  for (const m of moments) push(m.at, m.to === "approved" ? "in_review" : m.to);
  return out;
}

function blockers(item: TruthItem, truth: Truth): string[] {
  const live = new Set(truth.items.github.filter((i) => i.container === item.container && i.deletedAt === null && i !== item).map((i) => String(i.seq)));
  return [...new Set(item.blockedBy)].filter((n) => live.has(n)).map((n) => `${item.container}#${n}`).sort();
}

export function expectedItems(truth: Truth): Map<string, ExpectedItem> {
  const login = new Map(truth.people.map((p) => [p.key, p.login]));
  const out = new Map<string, ExpectedItem>();
  for (const item of truth.items.github) {
    if (item.deletedAt !== null) continue;
    const sprintIndex = item.sprint ? truth.sprints.findIndex((s) => s.key === item.sprint) : -1;
    const sprint = truth.sprints[sprintIndex];
    const id = `${item.container}#${item.seq}`;
    out.set(id, {
      id,
      key: `#${item.seq}`,
      kind: item.kind as "issue" | "pull_request",
      title: item.title,
      statusCategory: category(item),
      priority: "none",
      assignees: item.assignees.map((k) => login.get(k)!),
      labels: [...item.labels],
      container: { id: item.container, name: item.container, kind: "repo" },
      iteration: sprint ? { id: String(sprintIndex + 1), name: sprint.name, startAt: null, endAt: iso(sprint.endAt) } : null,
      createdAt: iso(item.createdAt),
      updatedAt: iso(item.updatedAt),
      closedAt: item.closedAt === null ? null : iso(item.closedAt),
      dueAt: null,
      estimate: null,
      blockedBy: blockers(item, truth),
      history: history(item),
    });
  }
  return out;
}

/** The same fields picked from a collected item, for a field-for-field comparison. */
export function observed(item: Record<string, any>): ExpectedItem {
  return {
    id: item.ref.id,
    key: item.key,
    kind: item.kind,
    title: item.title,
    statusCategory: item.statusCategory,
    priority: item.priority,
    assignees: item.assignees,
    labels: item.labels,
    container: item.container,
    iteration: item.iteration,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    closedAt: item.closedAt,
    dueAt: item.dueAt,
    estimate: item.estimate,
    blockedBy: item.blockedBy.map((r: { id: string }) => r.id).sort(),
    history: item.history.map((h: any) => ({ at: h.at, toCategory: h.toCategory })),
  };
}

/** Asserts that collected items equal the truth's live GitHub items, field for field. */
export function equalsTruth(truth: Truth, items: Record<string, any>[]): { missing: string[]; extra: string[]; different: string[] } {
  const expected = expectedItems(truth);
  const got = new Map(items.map((i) => [i.ref.id as string, observed(i)]));
  const missing = [...expected.keys()].filter((k) => !got.has(k));
  const extra = [...got.keys()].filter((k) => !expected.has(k));
  const different = [...expected.keys()].filter((k) => got.has(k) && JSON.stringify(got.get(k)) !== JSON.stringify(expected.get(k)));
  return { missing, extra, different };
}
