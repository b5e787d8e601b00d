/**
 * A task's "Time in Status" as ClickUp reports it (CU-OAS `GetTask'sTimeinStatus` and
 * `GetBulkTasks'TimeinStatus`, the 2025-06-17 spec): `current_status {status, color,
 * total_time {by_minute, since}}` and `status_history [{status, color, type, total_time
 * {by_minute, since}, orderindex}]`, `since` a ms-epoch string, `by_minute` an integer.
 *
 * What the spec's own examples say about the meaning (read off their numbers): one history entry per
 * status, not per visit; `since` is when the task *last* entered that status and `by_minute` the
 * time summed over every visit (task 20bbn28: "open" since 1604004420925 with 22,276 minutes in the
 * history but 21,830 minutes in current_status, whose by_minute is the current visit alone); the
 * entries come in the workflow's board order (orderindex), not in time order.
 */
import type { StatusCategory, TruthItem } from "../truth/model.js";
import { STATUS_ORDER, statusObject } from "./statuses.js";
import type { ClickUpStore } from "./store.js";

const MINUTE_MS = 60_000;

export interface TotalTime {
  by_minute: number;
  since: string;
}

export interface TimeInStatus {
  current_status: { status: string; color: string; total_time: TotalTime };
  status_history: { status: string; color: string; type: string; total_time: TotalTime; orderindex: number }[];
}

const minutes = (ms: number) => Math.max(0, Math.floor(ms / MINUTE_MS));

export function timeInStatusView(store: ClickUpStore, item: TruthItem, now: number): TimeInStatus {
  const lastEntry = new Map<StatusCategory, number>();
  const totalMs = new Map<StatusCategory, number>();
  item.transitions.forEach((t, i) => {
    const end = item.transitions[i + 1]?.at ?? Math.max(now, t.at);
    lastEntry.set(t.to, t.at);
    totalMs.set(t.to, (totalMs.get(t.to) ?? 0) + Math.max(0, end - t.at));
  });
  const current = statusObject(store.layout, item.status);
  const currentSince = lastEntry.get(item.status) ?? item.createdAt;
  return {
    current_status: { status: current.status, color: current.color, total_time: { by_minute: minutes(now - currentSince), since: String(currentSince) } },
    status_history: STATUS_ORDER.filter((c) => lastEntry.has(c)).map((c) => {
      const s = statusObject(store.layout, c);
      return { status: s.status, color: s.color, type: s.type, total_time: { by_minute: minutes(totalMs.get(c)!), since: String(lastEntry.get(c)!) }, orderindex: s.orderindex };
    }),
  };
}
