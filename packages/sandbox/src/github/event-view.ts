/**
 * An item's history → GitHub issue events (GET …/issues/{n}/events) and timeline
 * (GET …/issues/{n}/timeline = events + comments + reviews). Derived from the truth's transitions:
 * entering done/cancelled is "closed", leaving them is "reopened"; moves between open categories
 * have no GitHub event. Labels, assignees and milestone are recorded as set at creation.
 */
import type { TruthItem } from "../truth/model.js";
import type { RepoCatalog } from "./catalog.js";
import { renderComment } from "./comment-view.js";
import { fakeSha, isoTime, nodeId, stableInt } from "./ids.js";
import { isClosedCategory } from "./issue-state.js";
import { renderReview, reviewRequestTarget } from "./pull-view.js";

type EventName = "labeled" | "assigned" | "milestoned" | "review_requested" | "merged" | "closed" | "reopened";

interface EventFact {
  at: number;
  actor: string; // Person.key
  event: EventName;
  extra: (catalog: RepoCatalog) => Record<string, unknown>;
}

function eventFacts(catalog: RepoCatalog, item: TruthItem): EventFact[] {
  const facts: EventFact[] = [];
  for (const name of item.labels) {
    facts.push({ at: item.createdAt, actor: item.creator, event: "labeled", extra: (c) => ({ label: { name, color: c.label(name).color } }) });
  }
  for (const key of item.assignees) {
    facts.push({
      at: item.createdAt,
      actor: item.creator,
      event: "assigned",
      extra: (c) => ({ assignee: c.user(key), assigner: c.user(item.creator) }),
    });
  }
  const sprint = item.sprint ? catalog.index.sprint(item.sprint) : undefined;
  if (sprint) facts.push({ at: item.createdAt, actor: item.creator, event: "milestoned", extra: () => ({ milestone: { title: sprint.name } }) });
  const reviewer = reviewRequestTarget(item, catalog.index.truthNow.people);
  if (item.pr && item.pr.reviewRequestedAt !== null && reviewer) {
    facts.push({
      at: item.pr.reviewRequestedAt,
      actor: item.creator,
      event: "review_requested",
      extra: (c) => ({ review_requester: c.user(item.creator), requested_reviewer: c.user(reviewer) }),
    });
  }
  if (item.pr && item.pr.mergedAt !== null) {
    const sha = fakeSha(`${catalog.repo.fullName}:merge:${item.seq}`);
    facts.push({
      at: item.pr.mergedAt,
      actor: item.pr.mergedBy ?? item.creator,
      event: "merged",
      extra: (c) => ({ commit_id: sha, commit_url: `${c.links.api}/repos/${c.repo.fullName}/commits/${sha}` }),
    });
  }
  for (const t of item.transitions) {
    if (t.from === null) continue;
    const wasClosed = isClosedCategory(t.from);
    const isClosed = isClosedCategory(t.to);
    if (!wasClosed && isClosed) {
      const reason = t.to === "cancelled" ? "not_planned" : "completed";
      facts.push({ at: t.at, actor: t.by, event: "closed", extra: () => ({ state_reason: reason }) });
    } else if (wasClosed && !isClosed) {
      facts.push({ at: t.at, actor: t.by, event: "reopened", extra: () => ({ state_reason: "reopened" }) });
    }
  }
  // Stable sort keeps "merged" before "closed" at the same instant, as GitHub lists them.
  return facts.sort((a, b) => a.at - b.at);
}

function renderEvent(catalog: RepoCatalog, item: TruthItem, fact: EventFact, ordinal: number) {
  const id = stableInt(`${catalog.repo.fullName}#${item.seq}:${ordinal}:${fact.event}:${fact.at}`);
  const typeName = `${fact.event.split("_").map((w) => w[0]!.toUpperCase() + w.slice(1)).join("")}Event`;
  return {
    id,
    node_id: nodeId(typeName, id),
    url: `${catalog.links.api}/repos/${catalog.repo.fullName}/issues/events/${id}`,
    actor: catalog.user(fact.actor),
    event: fact.event,
    commit_id: null,
    commit_url: null,
    created_at: isoTime(fact.at),
    performed_via_github_app: null,
    ...fact.extra(catalog),
  };
}

export function renderIssueEvents(catalog: RepoCatalog, item: TruthItem) {
  return eventFacts(catalog, item).map((fact, i) => renderEvent(catalog, item, fact, i));
}

export function renderTimeline(catalog: RepoCatalog, item: TruthItem) {
  const entries: { at: number; body: Record<string, unknown> }[] = eventFacts(catalog, item).map((fact, i) => ({
    at: fact.at,
    body: renderEvent(catalog, item, fact, i),
  }));
  for (const comment of item.comments) {
    const rendered = renderComment(catalog, item, comment);
    entries.push({ at: comment.at, body: { ...rendered, event: "commented", actor: rendered.user } });
  }
  for (const review of item.pr?.reviews ?? []) {
    entries.push({ at: review.at, body: { ...renderReview(catalog, item, review), event: "reviewed" } });
  }
  return entries.sort((a, b) => a.at - b.at).map((e) => e.body);
}
