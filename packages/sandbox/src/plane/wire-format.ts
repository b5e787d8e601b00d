/** Value encodings as Plane's Django REST Framework serializers write them. */
import { createHash } from "node:crypto";

/**
 * DRF `DateTimeField`: `datetime.isoformat()` in the user's timezone (UTC for sandbox users) with
 * `+00:00` replaced by `Z`. Python omits the fraction when microseconds are 0 and otherwise writes
 * all six digits, so `…T10:30:00Z` and `…T10:30:00.123000Z` are both faithful.
 */
export function isoDateTime(epochMs: number | null): string | null {
  if (epochMs === null) return null;
  const iso = new Date(epochMs).toISOString(); // 2024-01-15T10:30:00.123Z
  const millis = iso.slice(20, 23);
  return millis === "000" ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 19)}.${millis}000Z`;
}

/** DRF `DateField`: `YYYY-MM-DD` (UTC calendar day of the instant). */
export function isoDate(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString().slice(0, 10);
}

/** Parses `YYYY-MM-DD` to the epoch ms of that UTC midnight, or null when it is not a valid date. */
export function parseIsoDate(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) || isoDate(ms) !== text ? null : ms;
}

/**
 * A deterministic UUID (version-5 layout over SHA-1) for Plane objects the ground truth names by key
 * only (workspace, activities, estimate points…): same truth → same ids.
 */
export function stableUuid(...parts: string[]): string {
  const hex = createHash("sha1").update(parts.join("\u0000")).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Django's `<uuid:…>` path converter accepts only the canonical lowercase 8-4-4-4-12 form. */
export const isUuid = (text: string): boolean => UUID_PATTERN.test(text);

/** Plane identifiers are UUIDs; truth keys that are not get a stable UUID derived from them. */
export const asUuid = (kind: string, key: string): string => (isUuid(key) ? key.toLowerCase() : stableUuid(kind, key));

/** HTML-escapes text for the `<p>…</p>` Plane's editor would store for plain text. */
export const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Plane's `strip_tags` for `description_stripped` / `comment_stripped`. */
export const stripTags = (html: string): string => html.replace(/<[^>]*>/g, "");

/** Plane model FloatFields that appear in answers and payloads (sort orders, state sequence, activity epoch). */
export const PLANE_FLOAT_FIELDS: ReadonlySet<string> = new Set(["sort_order", "sequence", "epoch"]);
