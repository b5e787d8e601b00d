import { describe, expect, it } from "vitest";
import { plainUtcInstant } from "./utc-instant.js";

describe("plainUtcInstant", () => {
  it("takes a written UTC instant that Date reads as exactly those fields, and nothing else", () => {
    const pad = (n: number, w = 2) => String(n).padStart(w, "0");
    for (let year = 1896; year <= 2404; year += 4)
      for (const y of [year, year + 1])
        for (let month = 0; month <= 13; month++)
          for (const day of [0, 1, 28, 29, 30, 31, 32]) {
            const text = `${pad(y, 4)}-${pad(month)}-${pad(day)}T12:00:00Z`;
            const ms = Date.parse(text);
            // Real: Date reads it and gives back the same calendar fields.
            const real = !Number.isNaN(ms) && new Date(ms).toISOString() === `${text.slice(0, 19)}.000Z`;
            expect(plainUtcInstant(text) !== null, text).toBe(real);
          }
    for (const time of ["24:00:00", "23:60:00", "23:59:60"]) expect(plainUtcInstant(`2024-01-01T${time}Z`)).toBeNull();
    expect(plainUtcInstant("2024-01-15T10:30:00.123456Z")).toEqual({ fraction: ".123456" });
    expect(plainUtcInstant("2024-01-15T10:30:00Z")).toEqual({ fraction: undefined });
    expect(plainUtcInstant("2024-01-15T10:30:00.12345678901234567890Z")).toEqual({ fraction: ".12345678901234567890" });
    for (const other of ["2024-01-15T10:30:00+00:00", "2024-01-15T10:30:00.Z", "2024-01-15 10:30:00Z", "+002024-01-15T10:30:00Z", "2024-1-15T10:30:00Z", "2024-01-15T10:30:00.12a4Z", "2024-01-15T10:30:0aZ", "2024-01-15T10:30:00.123456", "2024-01-15T10:30:00 Z", "20240115T103000Z"]) expect(plainUtcInstant(other), other).toBeNull();
  });
});
