import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TruthItem } from "../truth/model.js";
import { TASKS_PER_PAGE } from "./index.js";
import { allPages, type ClickUpSandbox, isClosed, liveItems, startClickUp } from "./testing/start-clickup.js";

describe.each([
  { seed: 1, items: 10 },
  { seed: 2, items: 250 },
  { seed: 3, items: 1_200 },
])("pagination, seed $seed, $items items", ({ seed, items }) => {
  let sb: ClickUpSandbox;
  beforeAll(async () => {
    sb = await startClickUp({ seed, items });
  });
  afterAll(() => sb.close());

  it("GET /list/{id}/task returns every live task of each list exactly once, in creation order", async () => {
    let seen = 0;
    for (const list of sb.ctx.truth.clickup.lists) {
      const expected = liveItems(sb.ctx).filter((i) => i.container === list.id).map((i) => i.id);
      const { ids, pages } = await allPages(sb, `/list/${list.id}/task?include_closed=true&subtasks=true`);
      expect(ids).toEqual(expected);
      expect(new Set(ids).size).toBe(ids.length);
      // Full pages until the last one, which alone says last_page.
      pages.slice(0, -1).forEach((p) => expect(p).toEqual({ count: TASKS_PER_PAGE, last: false }));
      expect(pages.at(-1)!.last).toBe(true);
      seen += ids.length;
    }
    expect(seen).toBe(liveItems(sb.ctx).length);
  });

  it("GET /team/{id}/task orders by updated, reversed, across pages without loss or repeats", async () => {
    const expected = liveItems(sb.ctx)
      .map((item, ordinal) => ({ item, ordinal }))
      .sort((a, b) => a.item.updatedAt - b.item.updatedAt || a.ordinal - b.ordinal)
      .reverse()
      .map((e) => e.item.id);
    const { ids } = await allPages(sb, `/team/${sb.ctx.truth.clickup.teamId}/task?include_closed=true&subtasks=true&order_by=updated&reverse=true`);
    expect(ids).toEqual(expected);
  });

  it("a page past the end is empty and last", async () => {
    const body = await sb.json<{ tasks: unknown[]; last_page: boolean }>(`/team/${sb.ctx.truth.clickup.teamId}/task?page=999`);
    expect(body).toEqual({ tasks: [], last_page: true });
  });
});

describe("filters match the ground truth exactly", () => {
  let sb: ClickUpSandbox;
  let teamPath: string;
  beforeAll(async () => {
    sb = await startClickUp({ seed: 5, items: 900 });
    teamPath = `/team/${sb.ctx.truth.clickup.teamId}/task`;
  });
  afterAll(() => sb.close());

  const idsOf = (items: TruthItem[]) => items.map((i) => i.id);
  const topLevelOpen = (i: TruthItem) => i.parentId === null && !isClosed(i);

  it("defaults exclude closed tasks and subtasks", async () => {
    const { ids } = await allPages(sb, teamPath);
    expect(ids).toEqual(idsOf(liveItems(sb.ctx).filter(topLevelOpen)));
    expect(ids.length).toBeGreaterThan(0);
  });

  it("date_updated_gt / date_updated_lt (exclusive, ms)", async () => {
    const live = liveItems(sb.ctx);
    const mid = [...live].sort((a, b) => a.updatedAt - b.updatedAt)[Math.floor(live.length / 2)]!.updatedAt;
    const gt = await allPages(sb, `${teamPath}?include_closed=true&subtasks=true&date_updated_gt=${mid}`);
    expect(gt.ids).toEqual(idsOf(live.filter((i) => i.updatedAt > mid)));
    const lt = await allPages(sb, `${teamPath}?include_closed=true&subtasks=true&date_updated_lt=${mid}`);
    expect(lt.ids).toEqual(idsOf(live.filter((i) => i.updatedAt < mid)));
    expect(gt.ids.length + lt.ids.length).toBeLessThan(live.length + 1);
  });

  it("date_created_gt", async () => {
    const live = liveItems(sb.ctx);
    const cut = live[Math.floor(live.length / 3)]!.createdAt;
    const { ids } = await allPages(sb, `${teamPath}?include_closed=true&date_created_gt=${cut}`);
    expect(ids).toEqual(idsOf(live.filter((i) => i.createdAt > cut && i.parentId === null)));
  });

  it("statuses[] by ClickUp status name; closed ones need include_closed", async () => {
    const names = sb.ctx.truth.clickup.statusNames;
    const live = liveItems(sb.ctx);
    const wip = await allPages(sb, `${teamPath}?subtasks=true&statuses[]=${encodeURIComponent(names.in_progress)}&statuses[]=${encodeURIComponent(names.in_review)}`);
    expect(wip.ids).toEqual(idsOf(live.filter((i) => i.status === "in_progress" || i.status === "in_review")));
    expect(wip.ids.length).toBeGreaterThan(0);
    const doneHidden = await allPages(sb, `${teamPath}?statuses[]=${encodeURIComponent(names.done)}`);
    expect(doneHidden.ids).toEqual([]);
    const done = await allPages(sb, `${teamPath}?include_closed=true&statuses[]=${encodeURIComponent(names.done)}`);
    expect(done.ids).toEqual(idsOf(live.filter((i) => i.status === "done" && i.parentId === null)));
    expect(done.ids.length).toBeGreaterThan(0);
  });

  it("assignees[] by ClickUp user id (any of)", async () => {
    const [a, b] = sb.ctx.truth.people;
    const live = liveItems(sb.ctx);
    const { ids } = await allPages(sb, `${teamPath}?include_closed=true&subtasks=true&assignees[]=${a!.clickupId}&assignees[]=${b!.clickupId}`);
    expect(ids).toEqual(idsOf(live.filter((i) => i.assignees.includes(a!.key) || i.assignees.includes(b!.key))));
    expect(ids.length).toBeGreaterThan(0);
  });

  it("subtasks=true adds subtasks; parent= returns one task's subtasks", async () => {
    const live = liveItems(sb.ctx);
    const withSubs = await allPages(sb, `${teamPath}?subtasks=true`);
    expect(withSubs.ids).toEqual(idsOf(live.filter((i) => !isClosed(i))));
    const parent = live.find((i) => live.some((s) => s.parentId === i.id))!;
    const subs = await allPages(sb, `${teamPath}?include_closed=true&parent=${parent.id}`);
    expect(subs.ids).toEqual(idsOf(live.filter((i) => i.parentId === parent.id)));
  });

  it("order_by=due_date puts tasks without a due date last", async () => {
    const live = liveItems(sb.ctx).filter(topLevelOpen);
    const expected = live
      .map((item, ordinal) => ({ item, ordinal }))
      .sort((a, b) => (a.item.dueAt ?? Infinity) - (b.item.dueAt ?? Infinity) || a.ordinal - b.ordinal)
      .map((e) => e.item.id);
    const { ids } = await allPages(sb, `${teamPath}?order_by=due_date`);
    expect(ids).toEqual(expected);
  });

  it("list filters: list_ids[] / project_ids[] / space_ids[] on the team endpoint", async () => {
    const { lists, folders, spaces } = sb.ctx.truth.clickup;
    const live = liveItems(sb.ctx).filter(topLevelOpen);
    const inFolder = new Set(lists.filter((l) => l.folderId === folders[0]!.id).map((l) => l.id));
    const byFolder = await allPages(sb, `${teamPath}?project_ids[]=${folders[0]!.id}`);
    expect(byFolder.ids).toEqual(idsOf(live.filter((i) => inFolder.has(i.container))));
    const inSpace = new Set(lists.filter((l) => l.spaceId === spaces[1]!.id).map((l) => l.id));
    const bySpace = await allPages(sb, `${teamPath}?space_ids[]=${spaces[1]!.id}`);
    expect(bySpace.ids).toEqual(idsOf(live.filter((i) => inSpace.has(i.container))));
    const byList = await allPages(sb, `${teamPath}?list_ids[]=${lists[0]!.id}`);
    expect(byList.ids).toEqual(idsOf(live.filter((i) => i.container === lists[0]!.id)));
  });
});
