/** Two digits. */
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** Three digits. */
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** 0001-01-01 and 10000-01-01 in ms: inside, the year has four digits and the arithmetic below holds. */
const FIRST_MS = -62_135_596_800_000;
const END_MS = 253_402_300_800_000;

/**
 * `new Date(ms).toISOString()` without the Date: a ClickUp task has ~10 instants (its dates and
 * status history), so a 10k-task collection formats ~100k of them, and a Date per instant cost ~3×
 * this (measured: 0.45 µs against 0.15 µs). Whole milliseconds of years 1–9999 only; anything else
 * (fractions, other years) goes to Date, which also throws for what is no instant at all.
 */
export function isoInstant(ms: number): string {
  if (!Number.isInteger(ms) || ms < FIRST_MS || ms >= END_MS) return new Date(ms).toISOString();
  // Days since the epoch to a civil date (Howard Hinnant's days_from_civil, inverted).
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const yyyy = year < 1000 ? `000${year}`.slice(-4) : `${year}`;
  return `${yyyy}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1000)}Z`;
}
