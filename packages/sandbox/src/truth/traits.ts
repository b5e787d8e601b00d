/** Per-item attributes drawn from platform-specific distributions: labels, priority, points, due dates, custom fields. */
import { DAY, HOUR, toSecond } from "./calendar.js";
import { CLICKUP_COMPONENTS } from "./layout.js";
import type { Platform, Priority, Sprint, TruthItem } from "./model.js";
import { CLICKUP_LABELS, GITHUB_LABELS, PLANE_LABELS } from "./names.js";
import type { Prng } from "./prng.js";

const PRIORITY_WEIGHTS: Record<Priority, number> = { urgent: 5, high: 20, medium: 40, low: 20, none: 15 };
const FIBONACCI_POINTS: readonly number[] = [1, 2, 3, 5, 8, 13];
const CUSTOMERS: readonly string[] = ["Acme Corp", "Globex", "Initech", "Umbrella", "Hooli"];
/** "blocked" is reserved for items that really wait on another (see the generator's blocker links). */
const GITHUB_TYPE_LABELS: readonly string[] = GITHUB_LABELS.map((l) => l.name).filter((n) => n !== "blocked");
const PLANE_LABEL_NAMES: readonly string[] = PLANE_LABELS.map((l) => l.name);

export function drawLabels(rng: Prng, platform: Platform, kind: TruthItem["kind"]): string[] {
  const vocab = platform === "clickup" ? CLICKUP_LABELS : platform === "plane" ? PLANE_LABEL_NAMES : GITHUB_TYPE_LABELS;
  const n = rng.int(0, kind === "pull_request" ? 1 : 2);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const l = rng.pick(vocab);
    if (!labels.includes(l)) labels.push(l);
  }
  return labels;
}

/** GitHub has no native priority. */
export function drawPriority(rng: Prng, platform: Platform): Priority {
  return platform === "github" ? "none" : rng.weighted(PRIORITY_WEIGHTS);
}

/** Story points (Fibonacci); GitHub has no native estimate field. */
export function drawPoints(rng: Prng, platform: Platform, kind: TruthItem["kind"]): number | null {
  if (platform === "github") return null;
  const share = kind === "subtask" ? 0.4 : platform === "clickup" ? 0.75 : 0.7;
  return rng.chance(share) ? rng.pick(FIBONACCI_POINTS) : null;
}

/** Sprint items are due on the sprint's last Friday at 17:00; a few others get their own date. GitHub items have none. */
export function drawDue(rng: Prng, platform: Platform, sprint: Sprint | null, createdAt: number): number | null {
  if (platform === "github") return null;
  if (sprint && rng.chance(0.6)) return sprint.endAt - 3 * DAY + 17 * HOUR;
  if (rng.chance(0.25)) return toSecond(createdAt + rng.int(3, 21) * DAY);
  return null;
}

/** Values of the layout's ClickUp custom fields, by field name (null = unset). */
export function drawClickUpCustomFields(rng: Prng, createdAt: number): Record<string, string | number | null> {
  return {
    Component: rng.chance(0.7) ? rng.pick(CLICKUP_COMPONENTS) : null,
    Customer: rng.chance(0.2) ? rng.pick(CUSTOMERS) : null,
    Effort: rng.chance(0.4) ? rng.int(1, 10) : null,
    "Target Date": rng.chance(0.2) ? toSecond(createdAt + rng.int(7, 60) * DAY) : null,
  };
}

/** Head branch from a title: "Fix login redirect on mobile" → "fix/login-redirect-on" (the caller appends the number). */
export function branchName(title: string): string {
  const words = title.toLowerCase().replace(/[^a-z0-9 ]+/g, "").split(" ").filter(Boolean);
  return `${words[0] ?? "change"}/${words.slice(1, 4).join("-")}`;
}
