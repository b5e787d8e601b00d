import { describe, expect, it } from "vitest";
import { DAY, SPRINT_LENGTH } from "./calendar.js";
import { generateTruth } from "./generate.js";
import { itemsByStatus, itemsOf, itemsUpdatedAfter, serializeTruth, truthDigest } from "./ground-truth.js";
import { truthViolations } from "./invariants.js";
import type { Truth } from "./model.js";

const big = generateTruth({ seed: 42, itemsPerPlatform: 1000 });

describe("generateTruth determinism", () => {
  it("gives byte-identical output for the same seed", () => {
    const a = serializeTruth(generateTruth({ seed: 42, itemsPerPlatform: 300 }));
    const b = serializeTruth(generateTruth({ seed: 42, itemsPerPlatform: 300 }));
    expect(a).toBe(b);
    expect(truthDigest(generateTruth({ seed: 42, itemsPerPlatform: 300 }))).toBe(truthDigest(generateTruth({ seed: 42, itemsPerPlatform: 300 })));
  });

  it("gives different output for a different seed", () => {
    const a = generateTruth({ seed: 42, itemsPerPlatform: 300 });
    const b = generateTruth({ seed: 43, itemsPerPlatform: 300 });
    expect(serializeTruth(a)).not.toBe(serializeTruth(b));
    expect(a.items.clickup[0]!.id).not.toBe(b.items.clickup[0]!.id);
    expect(a.items.plane[0]!.id).not.toBe(b.items.plane[0]!.id);
  });

  it("serialises canonically whatever order fields were assigned in", () => {
    const t = generateTruth({ seed: 1, itemsPerPlatform: 5 });
    const reordered = JSON.parse(JSON.stringify(t), (_k, v) =>
      v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ) as Truth;
    expect(serializeTruth(reordered)).toBe(serializeTruth(t));
  });

  it("rejects sizes outside 1..100,000", () => {
    expect(() => generateTruth({ seed: 1, itemsPerPlatform: 0 })).toThrow(RangeError);
    expect(() => generateTruth({ seed: 1, itemsPerPlatform: 100_001 })).toThrow(RangeError);
  });
});

describe("generateTruth invariants at 1,000 items per platform", () => {
  it("holds every consistency rule for every item", () => {
    expect(truthViolations(big)).toEqual([]);
  });

  it("generates the requested count per platform, in creation order, with nothing after now", () => {
    for (const platform of ["clickup", "github", "plane"] as const) {
      const items = big.items[platform];
      expect(items).toHaveLength(1000);
      for (let i = 1; i < items.length; i++) expect(items[i]!.createdAt).toBeGreaterThanOrEqual(items[i - 1]!.createdAt);
      for (const item of items) expect(item.updatedAt).toBeLessThanOrEqual(big.now);
    }
  });

  it("uses native id shapes, unique per platform", () => {
    const clickupIds = big.items.clickup.map((i) => i.id);
    expect(new Set(clickupIds).size).toBe(clickupIds.length);
    for (const id of clickupIds) expect(id).toMatch(/^86[0-9a-z]{7}$/);
    for (const repo of big.github.repos) {
      const numbers = itemsOf(big, "github", { container: repo.fullName, includeDeleted: true }).map((i) => Number(i.id));
      expect(numbers).toEqual(numbers.map((_, k) => k + 1)); // issues and PRs share 1..N
    }
    const planeIds = big.items.plane.map((i) => i.id);
    expect(new Set(planeIds).size).toBe(planeIds.length);
    for (const id of planeIds) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("places items in known containers and sprints", () => {
    const lists = new Set(big.clickup.lists.map((l) => l.id));
    const repos = new Set(big.github.repos.map((r) => r.fullName));
    const projects = new Set(big.plane.projects.map((p) => p.id));
    const sprints = new Set(big.sprints.map((s) => s.key));
    for (const i of big.items.clickup) expect(lists.has(i.container)).toBe(true);
    for (const i of big.items.github) expect(repos.has(i.container)).toBe(true);
    for (const i of big.items.plane) expect(projects.has(i.container)).toBe(true);
    for (const p of ["clickup", "github", "plane"] as const) for (const i of big.items[p]) if (i.sprint) expect(sprints.has(i.sprint)).toBe(true);
    // A ClickUp item with a sprint lives in that sprint's list.
    for (const i of big.items.clickup) {
      const list = big.clickup.lists.find((l) => l.id === i.container)!;
      if (i.sprint) expect(list.sprint).toBe(i.sprint);
    }
  });

  it("has a realistic layout: people, two-week sprints over half a year, folderless list, states per group", () => {
    expect(big.people.length).toBeGreaterThanOrEqual(8);
    expect(big.people.length).toBeLessThanOrEqual(12);
    expect(big.sprints.map((s) => s.key)).toContain("sprint-13");
    for (const s of big.sprints) expect(s.endAt - s.startAt).toBe(SPRINT_LENGTH);
    expect(big.now - big.sprints[0]!.startAt).toBeGreaterThan(160 * DAY);
    expect(big.clickup.lists.some((l) => l.folderId === null)).toBe(true);
    expect(big.plane.projects.map((p) => p.identifier)).toEqual(["WEB", "PLAT"]);
    expect(new Set(big.plane.states.map((s) => s.group))).toEqual(new Set(["backlog", "unstarted", "started", "completed", "cancelled"]));
    expect(big.plane.cycles).toHaveLength(big.sprints.length * 2);
  });

  it("contains every situation the product must detect", () => {
    const all = [...big.items.clickup, ...big.items.github, ...big.items.plane];
    const live = all.filter((i) => i.deletedAt === null);
    const open = live.filter((i) => i.closedAt === null);
    expect(live.filter((i) => i.reopenCount > 0).length).toBeGreaterThan(10);
    expect(open.filter((i) => i.blockedBy.length > 0).length).toBeGreaterThan(0);
    expect(open.filter((i) => i.dueAt !== null && i.dueAt < big.now).length).toBeGreaterThan(0); // overdue
    expect(open.filter((i) => big.now - i.updatedAt > 14 * DAY).length).toBeGreaterThan(0); // stale
    expect(all.filter((i) => i.deletedAt !== null).length).toBeGreaterThan(0);
    expect(big.items.clickup.filter((i) => i.kind === "subtask").length).toBeGreaterThan(50);
    expect(big.items.clickup.filter((i) => i.timeEntries.length > 0).length).toBeGreaterThan(50);
    expect(live.filter((i) => i.estimatePoints !== null).length).toBeGreaterThan(500);
    const prs = big.items.github.filter((i) => i.kind === "pull_request");
    expect(prs.filter((p) => p.pr!.mergedAt !== null && p.pr!.reviews.some((r) => r.state === "APPROVED")).length).toBeGreaterThan(100);
    expect(prs.filter((p) => p.status === "in_review" && p.pr!.reviews.length === 0 && big.now - p.pr!.reviewRequestedAt! > 7 * DAY).length).toBeGreaterThan(0); // stale PRs
    expect(prs.filter((p) => p.pr!.closesSeq !== null).length).toBeGreaterThan(20);
    for (const c of ["backlog", "todo", "in_progress", "in_review", "done", "cancelled"] as const) {
      expect(itemsByStatus(big, "plane", c).length).toBeGreaterThan(0);
    }
  });

  it("answers ground-truth queries consistently", () => {
    const t = big.now - 7 * DAY;
    const recent = itemsUpdatedAfter(big, "plane", t);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((i) => i.updatedAt > t && i.deletedAt === null)).toBe(true);
    const perProject = big.plane.projects.map((p) => itemsOf(big, "plane", { container: p.id }).length);
    expect(perProject.reduce((a, b) => a + b, 0)).toBe(itemsOf(big, "plane").length);
  });
});
