import { REQUIRED_JSON_FIELDS } from "@pmo/contracts";
import { describe, expect, it } from "vitest";
import { analyzeProject } from "../analyze.js";
import { COMMENTS, D, E, F, ITEMS, NOW, SPRINTS } from "../testing/scenario.js";
import { detectPatterns } from "./detect-patterns.js";
import { rankInsights } from "./rank-insights.js";

const thresholds = { staleDays: 7 };
const analytics = analyzeProject(ITEMS, { now: NOW, sprints: SPRINTS, reportType: "weekly", comments: COMMENTS, thresholds });
const patterns = detectPatterns(analytics, ITEMS, thresholds);

describe("detectPatterns", () => {
  it("raises the scenario's patterns with their evidence", () => {
    const byId = Object.fromEntries(patterns.patterns.map((p) => [p.id, p]));
    expect(Object.keys(byId).sort()).toEqual([
      "aging-reviews:all",
      "aging-reviews:github",
      "blocked-work:all",
      "overdue-work:all",
      "sprint-at-risk:all",
      "stale-work:all",
      "status-bottleneck:all",
      "status-bottleneck:github",
    ]);
    expect(byId["status-bottleneck:all"]).toMatchObject({ severity: "warning", reach: 0.25, evidence: { items: [D.ref], numbers: { medianMs: 25 * 3_600_000 } } });
    expect(byId["blocked-work:all"]).toMatchObject({ severity: "critical", evidence: { items: [D.ref], numbers: { distinctBlockers: 1 } } });
    expect(byId["stale-work:all"]!.evidence.items).toEqual([E.ref]);
    expect(byId["aging-reviews:all"]!.evidence).toMatchObject({ items: [F.ref], itemCount: 1 });
    // projected 9.46 < 0.7 × 15 committed points
    expect(byId["sprint-at-risk:all"]).toMatchObject({ severity: "critical", evidence: { numbers: { committedPoints: 15, donePoints: 7 } } });
    // reopen rate 0.2 but one item only; backflow 0.125 < 0.15; 3 estimates < 5: no pattern
    expect(byId["frequent-reopens:all"]).toBeUndefined();
  });

  it("finds nothing in an empty project", () => {
    expect(detectPatterns(analyzeProject([], { now: NOW }), []).patterns).toEqual([]);
  });
});

describe("rankInsights", () => {
  const insights = rankInsights(patterns);

  it("ranks by severity × reach, then id", () => {
    expect(insights.insights.map((i) => [i.rank, i.patternId, i.score])).toEqual([
      [1, "blocked-work:all", 3.75],
      [2, "overdue-work:all", 3.75],
      [3, "sprint-at-risk:all", 3.75],
      [4, "aging-reviews:github", 2.6667], // github has 3 open items: reach 1/3
      [5, "status-bottleneck:github", 2.6667],
      [6, "aging-reviews:all", 2.5],
      [7, "stale-work:all", 2.5],
      [8, "status-bottleneck:all", 2.5],
    ]);
    expect(insights.insights[0]!.recommendation).toMatch(/blocked/);
    expect(insights.insights[0]!.evidence.items).toEqual([D.ref]);
  });

  it("carries the definitions and the gates' required fields, as plain JSON", () => {
    expect(insights.definitions.version).toBe(analytics.definitions.version);
    for (const [path, doc] of [["analysis/patterns.json", patterns], ["analysis/insights.json", insights]] as const) {
      const rule = REQUIRED_JSON_FIELDS.find((r) => r.pattern.test(path))!;
      for (const f of rule.fields) expect(doc).toHaveProperty(f);
      expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    }
  });
});
