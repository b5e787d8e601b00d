import { afterEach, describe, expect, it } from "vitest";
import type { StatusCategory, TruthItem } from "../truth/model.js";
import { moveStatus } from "../truth/mutate.js";
import { loadSpec, responseExample, shapeDiff } from "./testing/openapi-shape.js";
import { type ClickUpSandbox, liveItems, startClickUp } from "./testing/start-clickup.js";

type Json = any;
type TimeInStatus = { current_status: Json; status_history: Json[] };

let sb: ClickUpSandbox;
afterEach(() => sb.close());

/**
 * What ClickUp would report for `item` at `now`, worked out from the truth's transitions: per status
 * its latest entry (`since`) and the minutes summed over all its visits; the current visit alone for
 * current_status.
 */
function expected(item: TruthItem, now: number) {
  const names = sb.ctx.truth.clickup.statusNames;
  const visits = item.transitions.map((t, i) => ({ to: t.to, at: t.at, ms: (item.transitions[i + 1]?.at ?? now) - t.at }));
  const byStatus = new Map<StatusCategory, { since: number; ms: number }>();
  for (const v of visits) byStatus.set(v.to, { since: v.at, ms: (byStatus.get(v.to)?.ms ?? 0) + v.ms });
  const current = visits.at(-1)!;
  return {
    current: { status: names[item.status], since: String(current.at), by_minute: Math.floor((now - current.at) / 60_000) },
    history: Object.fromEntries([...byStatus].map(([c, s]) => [names[c], { since: String(s.since), by_minute: Math.floor(s.ms / 60_000) }])),
  };
}

function actual(body: TimeInStatus) {
  return {
    current: { status: body.current_status.status, since: body.current_status.total_time.since, by_minute: body.current_status.total_time.by_minute },
    history: Object.fromEntries(body.status_history.map((h) => [h.status, { since: h.total_time.since, by_minute: h.total_time.by_minute }])),
  };
}

/** The answer without its running minute counts (they move with the clock between two requests). */
function sinceOnly(body: TimeInStatus) {
  const strip = (h: Json) => ({ ...h, total_time: { since: h.total_time.since } });
  return { current_status: strip(body.current_status), status_history: body.status_history.map(strip) };
}

describe("Time in Status, from the ground truth", () => {
  it("GET /task/{id}/time_in_status: latest entry per status as `since`, minutes over every visit, in board order, shaped like the spec's example", async () => {
    sb = await startClickUp({ seed: 43, items: 200 });
    const now = sb.ctx.now();
    // A task that left a status and came back: its `since` is the return, its minutes both visits.
    const reopened = liveItems(sb.ctx).find((i) => i.reopenCount > 0 && i.transitions.length >= 4)!;
    expect(reopened).toBeDefined();
    for (const item of [reopened, ...liveItems(sb.ctx).slice(0, 20)]) {
      const body = await sb.json<TimeInStatus>(`/task/${item.id}/time_in_status`);
      const got = actual(body);
      const want = expected(item, now);
      // by_minute runs with the clock: allow the minute the request itself may have crossed.
      expect(got.current.status).toBe(want.current.status);
      expect(got.current.since).toBe(want.current.since);
      expect(got.current.by_minute - want.current.by_minute).toBeGreaterThanOrEqual(0);
      expect(got.current.by_minute - want.current.by_minute).toBeLessThanOrEqual(1);
      expect(Object.keys(got.history).sort()).toEqual(Object.keys(want.history).sort());
      for (const [status, h] of Object.entries(want.history)) {
        expect(got.history[status]!.since, `${item.id} ${status}`).toBe(h.since);
        expect(got.history[status]!.by_minute - h.by_minute).toBeLessThanOrEqual(1);
      }
      const orders = body.status_history.map((h) => h.orderindex);
      expect(orders).toEqual([...orders].sort((a, b) => a - b));
      expect(shapeDiff(body, responseExample(loadSpec(), "/v2/task/{task_id}/time_in_status", "get"))).toEqual([]);
    }
    // The revisited status: its latest entry, not its first.
    const back = reopened.transitions.findLast((t, i) => reopened.transitions.findIndex((u) => u.to === t.to) < i)!;
    const body = await sb.json<TimeInStatus>(`/task/${reopened.id}/time_in_status`);
    expect(body.status_history.find((h) => h.status === sb.ctx.truth.clickup.statusNames[back.to])!.total_time.since).toBe(String(back.at));
  });

  it("a status change shows at once: the new status is current since the move", async () => {
    sb = await startClickUp();
    const item = liveItems(sb.ctx).find((i) => i.status !== "in_review")!;
    const at = sb.ctx.now();
    moveStatus(item, "in_review", at, item.creator);
    const body = await sb.json<TimeInStatus>(`/task/${item.id}/time_in_status`);
    expect(body.current_status).toMatchObject({ status: sb.ctx.truth.clickup.statusNames.in_review, total_time: { since: String(at) } });
    expect(body.status_history.find((h) => h.status === sb.ctx.truth.clickup.statusNames.in_review)!.total_time.since).toBe(String(at));
  });

  it("GET /task/bulk_time_in_status/task_ids: up to 100 tasks keyed by id, each as the single endpoint answers it", async () => {
    sb = await startClickUp({ items: 150 });
    const items = liveItems(sb.ctx).slice(0, 100);
    const query = items.map((i) => `task_ids=${i.id}`).join("&");
    const bulk = await sb.json<Record<string, TimeInStatus>>(`/task/bulk_time_in_status/task_ids?${query}`);
    expect(Object.keys(bulk).sort()).toEqual(items.map((i) => i.id).sort());
    const example = responseExample(loadSpec(), "/v2/task/bulk_time_in_status/task_ids", "get");
    const now = sb.ctx.now();
    for (const item of items) {
      const entry = bulk[item.id]!;
      expect(shapeDiff(entry, example["27075wz"])).toEqual([]);
      expect(sinceOnly(entry)).toEqual(sinceOnly(await sb.json<TimeInStatus>(`/task/${item.id}/time_in_status`)));
      expect(actual(entry).current.since).toBe(expected(item, now).current.since);
    }
  });

  it("bad input answers ClickUp's {err, ECODE}: more than 100 ids or fewer than 2 → 400, an unknown or deleted task → 404 TASK_001", async () => {
    sb = await startClickUp({ items: 150 });
    const live = liveItems(sb.ctx);
    const ids = (xs: string[]) => xs.map((id) => `task_ids=${id}`).join("&");
    for (const query of [ids(live.slice(0, 101).map((i) => i.id)), ids([live[0]!.id]), ""]) {
      const res = await sb.call(`/task/bulk_time_in_status/task_ids?${query}`);
      expect(res.status).toBe(400);
      expect(Object.keys((await res.json()) as object).sort()).toEqual(["ECODE", "err"]);
    }
    const deleted = live[5]!;
    deleted.deletedAt = deleted.updatedAt;
    for (const path of [`/task/bulk_time_in_status/task_ids?${ids([live[0]!.id, "86zzzzzzz"])}`, `/task/bulk_time_in_status/task_ids?${ids([live[0]!.id, deleted.id])}`, `/task/86zzzzzzz/time_in_status`, `/task/${deleted.id}/time_in_status`]) {
      const res = await sb.call(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ err: "Task not found", ECODE: "TASK_001" });
    }
  });

  it("with the Total time in Status ClickApp off, both endpoints answer 403 TIS_027", async () => {
    sb = await startClickUp({ timeInStatus: false });
    const [a, b] = liveItems(sb.ctx);
    for (const path of [`/task/${a!.id}/time_in_status`, `/task/bulk_time_in_status/task_ids?task_ids=${a!.id}&task_ids=${b!.id}`]) {
      const res = await sb.call(path);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ err: "Time In Status is not available on your plan", ECODE: "TIS_027" });
    }
  });

  it("counts against the per-token rate limit like every other request", async () => {
    sb = await startClickUp({ requestsPerMinute: 2 });
    const [a, b] = liveItems(sb.ctx);
    const path = `/task/bulk_time_in_status/task_ids?task_ids=${a!.id}&task_ids=${b!.id}`;
    const first = await sb.call(path);
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    expect((await sb.call(`/task/${a!.id}/time_in_status`)).headers.get("x-ratelimit-remaining")).toBe("0");
    const third = await sb.call(path);
    expect(third.status).toBe(429);
    expect(await third.json()).toEqual({ err: "Rate limit reached", ECODE: "APP_002" });
  });
});
