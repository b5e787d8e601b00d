import { describe, expect, it } from "vitest";
import { distribution, percentile, slope } from "./distribution.js";

describe("distribution (type-7 percentiles)", () => {
  it("interpolates between closest ranks", () => {
    // h = (n−1)p over [1,2,3,4]: p50 → 1.5 → 2.5; p75 → 2.25 → 3.25; p90 → 2.7 → 3.7
    expect(distribution([4, 1, 3, 2])).toEqual({ count: 4, mean: 2.5, median: 2.5, p75: 3.25, p90: 3.7, min: 1, max: 4 });
  });

  it("is all null for an empty sample and the value itself for one", () => {
    expect(distribution([])).toEqual({ count: 0, mean: null, median: null, p75: null, p90: null, min: null, max: null });
    expect(distribution([7])).toMatchObject({ median: 7, p90: 7 });
    expect(percentile([], 0.5)).toBeNull();
  });

  it("fits a least-squares slope", () => {
    expect(slope([3, 0])).toBe(-3);
    expect(slope([1, 2, 3, 5])).toBeCloseTo(1.3, 10); // Σ(x−1.5)(y−2.75) = 6.5, Σ(x−1.5)² = 5
    expect(slope([4])).toBeNull();
  });
});
