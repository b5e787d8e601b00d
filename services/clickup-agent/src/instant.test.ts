import { describe, expect, it } from "vitest";
import { isoInstant } from "./instant.js";

const viaDate = (ms: number) => new Date(ms).toISOString();

describe("isoInstant", () => {
  it("formats as Date#toISOString does around the edges of its fast path and of the calendar", () => {
    const edges = [
      0, -1, 1, 999, 1000, 86_399_999, 86_400_000,
      951_782_400_000, 951_868_800_000, // 2000-02-29 (a leap day of a century year), 2000-03-01
      4_107_542_400_000, 4_107_456_000_000, // 2100-03-01, 2100-02-28 (2100 is not a leap year)
      -2_208_988_800_000, // 1900-01-01
      -62_135_596_800_000, -62_135_596_800_001, // 0001-01-01, and the instant before (Date's own form)
      253_402_300_799_999, 253_402_300_800_000, // 9999-12-31T23:59:59.999Z, and 10000 (Date's own form)
      1_785_306_084_000, 1.5, // a ClickUp date; a fraction of a millisecond
    ];
    for (const ms of edges) expect(isoInstant(ms), String(ms)).toBe(viaDate(ms));
  });

  it("agrees with Date on 200,000 instants spread over years 1 to 9999", () => {
    let state = 42;
    const next = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 200_000; i++) {
      const ms = Math.floor(-62_135_596_800_000 + next() * (253_402_300_800_000 + 62_135_596_800_000));
      if (isoInstant(ms) !== viaDate(ms)) expect(isoInstant(ms), String(ms)).toBe(viaDate(ms));
    }
  });

  it("refuses what is no instant, as Date does", () => {
    expect(() => isoInstant(Number.NaN)).toThrow(RangeError);
    expect(() => isoInstant(8.64e15 + 1)).toThrow(RangeError);
  });
});
