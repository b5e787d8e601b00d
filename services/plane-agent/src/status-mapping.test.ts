import { describe, expect, it } from "vitest";
import { StatusMapper } from "./status-mapping.js";

describe("Plane state → status category", () => {
  const mapper = new StatusMapper({ statusCategories: { QA: "in_review", "Won't fix": "cancelled" }, reviewStatePattern: "review" });

  it("follows the state's group, with started states named like a review as in_review", () => {
    expect(mapper.categoryOf({ name: "Backlog", group: "backlog" })).toBe("backlog");
    expect(mapper.categoryOf({ name: "Intake", group: "triage" })).toBe("backlog");
    expect(mapper.categoryOf({ name: "Todo", group: "unstarted" })).toBe("todo");
    expect(mapper.categoryOf({ name: "In Progress", group: "started" })).toBe("in_progress");
    expect(mapper.categoryOf({ name: "Code Review", group: "started" })).toBe("in_review");
    expect(mapper.categoryOf({ name: "Review notes", group: "unstarted" })).toBe("todo");
    expect(mapper.categoryOf({ name: "Shipped", group: "completed" })).toBe("done");
    expect(mapper.categoryOf({ name: "Dropped", group: "cancelled" })).toBe("cancelled");
  });

  it("lets the configuration name custom states", () => {
    expect(mapper.categoryOf({ name: "qa", group: "started" })).toBe("in_review");
    expect(mapper.categoryOf({ name: "Won't fix", group: "completed" })).toBe("cancelled");
  });
});
