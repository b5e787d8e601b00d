/** How numbers, durations and dates read in every report format. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** 0 → "0", 1234.5 → "1,234.5" (en-US grouping, at most one decimal). */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  return v.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

/**
 * A duration for people: under a day in hours, else in days. With the business calendar on, the
 * milliseconds are working time, so they read as working hours.
 */
export function formatDuration(ms: number | null | undefined, mode: "elapsed" | "business" = "elapsed"): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "–";
  if (mode === "business") return `${formatNumber(Math.round((ms / HOUR) * 10) / 10)} working h`;
  if (Math.abs(ms) < DAY) return `${formatNumber(Math.round((ms / HOUR) * 10) / 10)} h`;
  return `${formatNumber(Math.round((ms / DAY) * 10) / 10)} d`;
}

export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "–";
  return `${Math.round(share * 100)}%`;
}

/** `2026-11-02` (UTC date of an ISO instant). */
export function formatDay(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : "–";
}

/** `2026-11-02 09:00 UTC`. */
export function formatInstant(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
