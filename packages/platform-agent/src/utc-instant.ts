/** `YYYY-MM-DDTHH:MM:SS[.fraction]Z`: how GitHub (whole seconds) and Plane (microseconds) write instants. */
const UTC_INSTANT = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?Z$/;

/**
 * A UTC instant in that written form, when it names a real instant (no month 13, no 30th of
 * February, no 24:00 or :60), with its fraction (dot included) when it has one; else null, and
 * the caller goes through Date. Lets an agent format the instants of a collection (hundreds of
 * thousands) without a Date.parse, a Date and a toISOString each.
 */
export function plainUtcInstant(value: string): { fraction: string | undefined } | null {
  const m = UTC_INSTANT.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days ? { fraction: m[7] } : null;
}
