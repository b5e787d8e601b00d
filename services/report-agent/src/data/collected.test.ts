import { describe, expect, it } from "vitest";
import { workItem } from "../testing/work-items.js";
import { validateItems } from "./collected.js";

const item = workItem;

describe("validateItems", () => {
  it("keeps valid records and reports each bad one with its index, id and problems instead of failing", () => {
    const records = [
      item("1"),
      { ...item("2"), statusCategory: "doing" },
      item("3", { ref: { platform: "plane", id: "3" } }),
      item("1"),
      "not an object",
      { ...item("5"), createdAt: "yesterday" },
      item("6"),
    ];
    const out = validateItems("github", records);
    expect(out.items.map((i) => i.ref.id)).toEqual(["1", "6"]);
    expect(out.invalidCount).toBe(5);
    expect(out.invalid.map((r) => [r.index, r.id])).toEqual([[1, "2"], [2, "3"], [3, "1"], [4, null], [5, "5"]]);
    expect(out.invalid[0]!.problems.join()).toContain("statusCategory");
    expect(out.invalid[1]!.problems.join()).toContain("ref.platform is plane");
    expect(out.invalid[2]!.problems.join()).toContain("duplicate");
    expect(out.invalid[4]!.problems.join()).toContain("createdAt");
  });

  it("counts every bad record but lists at most 200", () => {
    const out = validateItems("github", Array.from({ length: 250 }, () => ({})));
    expect(out.invalidCount).toBe(250);
    expect(out.invalid).toHaveLength(200);
  });
});
