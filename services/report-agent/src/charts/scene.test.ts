import { describe, expect, it } from "vitest";
import type { ChartModel } from "./model.js";
import { niceTicks } from "./scale.js";
import { layoutChart, type Shape } from "./scene.js";

const bars: ChartModel = { id: "v", kind: "bars", title: "Velocity", unit: "points", categoryLabel: "sprint", categories: ["S1", "S2", "S3"], series: [{ name: "Points", values: [10, 20, 5], color: "blue" }] };
const rects = (shapes: Shape[]) => shapes.filter((s): s is Extract<Shape, { type: "rect" }> => s.type === "rect");
const texts = (shapes: Shape[]) => shapes.filter((s): s is Extract<Shape, { type: "text" }> => s.type === "text").map((t) => t.text);

describe("niceTicks", () => {
  it("steps by 1, 2, 2.5 or 5 × 10ⁿ and reaches the maximum", () => {
    expect(niceTicks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(23)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(niceTicks(12.5)).toEqual([0, 2.5, 5, 7.5, 10, 12.5]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
  it("keeps whole steps for counts", () => {
    expect(niceTicks(1, { integer: true })).toEqual([0, 1]);
    expect(niceTicks(12, { integer: true })).toEqual([0, 2, 4, 6, 8, 10, 12]);
  });
});

describe("layoutChart", () => {
  it("draws one bar per value, heights proportional to the values, on a shared baseline", () => {
    const scene = layoutChart(bars);
    const drawn = rects(scene.shapes);
    expect(drawn).toHaveLength(3);
    const [a, b, c] = drawn as [Shape & { h: number; y: number }, Shape & { h: number; y: number }, Shape & { h: number; y: number }];
    expect(b.h / a.h).toBeCloseTo(2, 5);
    expect(a.h / c.h).toBeCloseTo(2, 5);
    expect(a.y + a.h).toBeCloseTo(b.y + b.h, 5);
    expect(texts(scene.shapes)).toEqual(expect.arrayContaining(["Velocity (points)", "S1", "S2", "S3", "10", "20", "5"]));
    for (const r of drawn) expect(r.x + r.w).toBeLessThanOrEqual(scene.width);
  });

  it("splits a line at a missing value instead of drawing it as zero", () => {
    const scene = layoutChart({ ...bars, kind: "lines", categories: ["d1", "d2", "d3", "d4", "d5"], series: [{ name: "Remaining", values: [8, 6, null, 3, 1], color: "blue" }] });
    const lines = scene.shapes.filter((s) => s.type === "polyline");
    expect(lines.map((l) => (l.type === "polyline" ? l.points.length : 0))).toEqual([2, 2]);
  });

  it("gives a single point of a line a dot, and dashes dashed series", () => {
    const scene = layoutChart({ ...bars, kind: "lines", categories: ["d1", "d2"], series: [{ name: "A", values: [3, null], color: "blue" }, { name: "Ideal", values: [4, 2], color: "grey", dashed: true }] });
    expect(scene.shapes.some((s) => s.type === "circle")).toBe(true);
    expect(scene.shapes.some((s) => s.type === "polyline" && s.dashed)).toBe(true);
    expect(texts(scene.shapes)).toEqual(expect.arrayContaining(["A", "Ideal"])); // legend
  });

  it("colours horizontal bars per category and labels each with its value", () => {
    const scene = layoutChart({ id: "s", kind: "hbars", title: "Status", unit: "items", categoryLabel: "status", categories: ["Done", "To do"], series: [{ name: "Items", values: [6, 3], color: "slate" }], categoryColors: ["green", "slate"] });
    const drawn = rects(scene.shapes);
    expect(drawn.map((r) => r.fill)).toEqual(["#16a34a", "#64748b"]);
    expect(drawn[0]!.w / drawn[1]!.w).toBeCloseTo(2, 5);
    expect(texts(scene.shapes)).toEqual(expect.arrayContaining(["Done", "To do", "6", "3"]));
  });

  it("thins category labels so many categories never overlap", () => {
    const categories = Array.from({ length: 60 }, (_, i) => `2026-W${String(i).padStart(2, "0")}`);
    const scene = layoutChart({ ...bars, categories, series: [{ name: "P", values: categories.map(() => 1), color: "blue" }] });
    const labels = scene.shapes.filter((s) => s.type === "text" && s.text.startsWith("2026"));
    expect(labels.length).toBeGreaterThan(3);
    expect(labels.length).toBeLessThan(20);
  });
});
