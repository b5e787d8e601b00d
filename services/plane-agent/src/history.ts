import type { StatusCategory, StatusTransition } from "@pmo/contracts";
import { plainUtcInstant } from "@pmo/platform-agent";
import type { PlaneActivity, PlaneMember, PlaneState, PlaneWorkItem } from "./plane-types.js";
import type { StatusMapper } from "./status-mapping.js";

export interface StatusTimeline {
  history: StatusTransition[];
  /** First entry into in_progress. */
  startedAt: string | null;
  /** Last entry into done/cancelled, when the item is closed now. */
  closedAt: string | null;
}

const CLOSED: ReadonlySet<StatusCategory> = new Set(["done", "cancelled"]);

/**
 * An instant as the contract writes it (toISOString: milliseconds, Z). Plane writes
 * "2024-01-15T10:30:00.123456Z"; in that form (a real instant) its text is cut to milliseconds, as
 * Date would (it truncates), without a Date each: a 10k-item collection formats ~60k of them.
 */
export function iso(text: string): string {
  const plain = plainUtcInstant(text);
  if (plain) return `${text.slice(0, 19)}${plain.fraction === undefined ? ".000" : `${plain.fraction}00`.slice(0, 4)}Z`;
  return new Date(text).toISOString();
}

/**
 * A work item's status history from its activities: Plane writes one row per state change
 * (`field: "state"`, state names as values, state ids as identifiers) and a `created` row; the state
 * the item was created in is the first change's old value (or the current state when it never moved).
 */
export function statusTimeline(
  item: PlaneWorkItem,
  activities: readonly PlaneActivity[],
  ctx: { states: Map<string, PlaneState>; members: Map<string, PlaneMember>; mapper: StatusMapper },
): StatusTimeline {
  const byName = new Map([...ctx.states.values()].map((s) => [s.name.toLowerCase(), s]));
  const categoryOf = (name: string, id: string | null): StatusCategory => {
    const state = (id ? ctx.states.get(id) : undefined) ?? byName.get(name.toLowerCase());
    return ctx.mapper.categoryOf(state ?? { name, group: "" });
  };
  const login = (id: string | null) => (id ? (ctx.members.get(id)?.display_name ?? id) : null);
  // Each instant parsed once, not twice a comparison (the sort is stable: equal instants keep Plane's order).
  const ordered = activities
    .map((a) => ({ a, at: Date.parse(a.created_at) }))
    .sort((x, y) => x.at - y.at)
    .map((x) => x.a);
  const changes = ordered.filter((a) => a.field === "state" && a.new_value !== null);
  const created = ordered.find((a) => a.verb === "created" && a.field === null);
  const current = item.state ? ctx.states.get(item.state) : undefined;
  const initialName = changes[0]?.old_value ?? current?.name ?? null;

  const history: StatusTransition[] = [];
  if (initialName !== null) {
    const initialId = changes.length > 0 ? changes[0]!.old_identifier : (current?.id ?? null);
    history.push({ at: iso(created?.created_at ?? item.created_at), from: null, to: initialName, fromCategory: null, toCategory: categoryOf(initialName, initialId), by: login(created?.actor ?? item.created_by) });
  }
  for (const a of changes) {
    history.push({
      at: iso(a.created_at),
      from: a.old_value,
      to: a.new_value!,
      fromCategory: a.old_value === null ? null : categoryOf(a.old_value, a.old_identifier),
      toCategory: categoryOf(a.new_value!, a.new_identifier),
      by: login(a.actor),
    });
  }

  const startedAt = history.find((t) => t.toCategory === "in_progress")?.at ?? null;
  const currentCategory = current ? ctx.mapper.categoryOf(current) : history.at(-1)?.toCategory;
  let closedAt: string | null = null;
  if (currentCategory && CLOSED.has(currentCategory)) {
    closedAt = history.findLast((t) => CLOSED.has(t.toCategory))?.at ?? (item.completed_at ? iso(item.completed_at) : null);
  }
  return { history, startedAt, closedAt };
}
