import { describe, expect, it } from "vitest";
import { iso } from "./history.js";

describe("iso", () => {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const throughDate = (text: string) => {
    try {
      return new Date(text).toISOString();
    } catch {
      return "throws";
    }
  };
  const ours = (text: string) => {
    try {
      return iso(text);
    } catch {
      return "throws";
    }
  };

  it("answers what Date's toISOString answers, for Plane's form (any fraction) and the calendar's edges", () => {
    const values: string[] = [];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 20_000; i++) {
      const digits = rnd(8);
      const fraction = digits === 0 ? "" : `.${Array.from({ length: digits }, () => rnd(10)).join("")}`;
      values.push(`${pad(1970 + rnd(100), 4)}-${pad(1 + rnd(12))}-${pad(1 + rnd(31))}T${pad(rnd(24))}:${pad(rnd(60))}:${pad(rnd(60))}${fraction}Z`);
    }
    for (const date of ["1900-02-29", "2000-02-29", "2023-02-29", "2024-02-29", "2024-04-31", "2024-00-10", "2024-13-10", "2024-01-00", "0000-01-01", "9999-12-31"])
      for (const time of ["00:00:00", "23:59:59.999999", "24:00:00", "12:60:00", "12:00:60", "10:30:00.1"]) values.push(`${date}T${time}Z`);
    values.push("2024-01-15T10:30:00.123456+00:00", "2024-01-15T10:30:00.123456+02:00", "2024-01-15", "not a date");
    for (const text of values) expect(ours(text), text).toBe(throughDate(text));
  });
});
