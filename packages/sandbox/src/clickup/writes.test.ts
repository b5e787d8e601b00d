import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { allPages, type ClickUpSandbox, liveItems, startClickUp } from "./testing/start-clickup.js";

type Task = Record<string, any>;

let sb: ClickUpSandbox;
beforeEach(async () => {
  sb = await startClickUp({ seed: 21, items: 120 });
});
afterEach(() => sb.close());

const put = (body: unknown) => ({ method: "PUT", body: JSON.stringify(body) });
const post = (body: unknown) => ({ method: "POST", body: JSON.stringify(body) });

describe("create / update / delete round trips", () => {
  it("POST /list/{id}/task: priority int in, object out; assignees, tags, custom fields; served back by GET", async () => {
    const { lists, customFields, statusNames } = sb.ctx.truth.clickup;
    const list = lists.find((l) => l.sprint !== null)!;
    const [ada, bob] = sb.ctx.truth.people;
    const component = customFields.find((f) => f.type === "drop_down")!;
    const fields = await sb.json<{ fields: Task[] }>(`/list/${list.id}/field`);
    const option = fields.fields.find((f) => f.id === component.id)!.type_config.options[1];
    const created = await sb.json<Task>(
      `/list/${list.id}/task`,
      post({ name: "Wire the sandbox", description: "from a test", assignees: [ada!.clickupId, bob!.clickupId], tags: ["backend"], status: statusNames.todo, priority: 2, due_date: 1_790_000_000_000, time_estimate: 3_600_000, points: 5, custom_fields: [{ id: component.id, value: option.id }] }),
    );
    expect(created).toMatchObject({
      name: "Wire the sandbox",
      description: "from a test",
      status: { status: statusNames.todo, type: "custom" },
      priority: { id: "2", priority: "high", orderindex: "2" },
      due_date: "1790000000000",
      time_estimate: 3_600_000,
      points: 5,
      list: { id: list.id },
      tags: [{ name: "backend" }],
      url: `https://app.clickup.com/t/${created.id}`,
    });
    expect(created.assignees.map((u: Task) => u.id)).toEqual([ada!.clickupId, bob!.clickupId]);
    expect(created.custom_fields.find((f: Task) => f.id === component.id).value).toBe(1);
    expect(created.date_created).toBe(String(sb.ctx.truth.items.clickup.at(-1)!.createdAt));
    expect(await sb.json(`/task/${created.id}`)).toEqual(created);

    const item = sb.ctx.truth.items.clickup.find((i) => i.id === created.id)!;
    expect(item).toMatchObject({ priority: "high", assignees: [ada!.key, bob!.key], labels: ["backend"], status: "todo", customFields: { [component.name]: option.name } });
    expect(item.transitions).toHaveLength(1);
    expect(sb.ctx.changes().at(-1)).toMatchObject({ kind: "created", item: { id: created.id } });
    const { ids } = await allPages(sb, `/list/${list.id}/task?include_closed=true&subtasks=true`);
    expect(ids.at(-1)).toBe(created.id);
  });

  it("PUT /task/{id}: assignees {add, rem}, priority 1 → urgent, status change appends a transition and emits changes", async () => {
    const item = liveItems(sb.ctx).find((i) => i.status === "todo" && i.assignees.length === 1)!;
    const [keep] = item.assignees;
    const other = sb.ctx.truth.people.find((p) => p.key !== keep)!;
    const keepId = sb.ctx.truth.people.find((p) => p.key === keep)!.clickupId;
    const transitions = item.transitions.length;
    const changesBefore = sb.ctx.changes().length;
    const updated = await sb.json<Task>(`/task/${item.id}`, put({ assignees: { add: [other.clickupId], rem: [keepId] }, priority: 1, status: "In Progress", name: "Renamed" }));
    expect(updated.assignees.map((u: Task) => u.id)).toEqual([other.clickupId]);
    expect(updated.priority).toEqual({ id: "1", priority: "urgent", color: "#f50000", orderindex: "1" });
    expect(updated.status).toMatchObject({ status: sb.ctx.truth.clickup.statusNames.in_progress, type: "custom" });
    expect(updated.name).toBe("Renamed");
    expect(item.transitions).toHaveLength(transitions + 1);
    expect(item.transitions.at(-1)).toMatchObject({ from: "todo", to: "in_progress", by: sb.ctx.truth.people[0]!.key });
    expect(item.startedAt).toBe(item.transitions.at(-1)!.at);
    expect(updated.date_updated).toBe(String(item.updatedAt));
    const changes = sb.ctx.changes().slice(changesBefore);
    expect(changes.map((c) => c.kind)).toEqual(["status_changed", "updated"]);
    expect(changes[0]!.before).toMatchObject({ status: "todo" });
    expect(changes[1]!.before).toMatchObject({ assignees: [keep], title: expect.any(String), priority: expect.any(String) });

    // Closing shows in date_closed and hides the task from default listings.
    const closed = await sb.json<Task>(`/task/${item.id}`, put({ status: sb.ctx.truth.clickup.statusNames.done }));
    expect(closed.status.type).toBe("closed");
    expect(closed.date_closed).toBe(String(item.closedAt));
    expect((await allPages(sb, `/list/${item.container}/task?subtasks=true`)).ids).not.toContain(item.id);
    expect((await allPages(sb, `/list/${item.container}/task?subtasks=true&include_closed=true`)).ids).toContain(item.id);
  });

  it("DELETE /task/{id}: 204, then 404, gone from listings, kept in the truth as deleted", async () => {
    const item = liveItems(sb.ctx)[3]!;
    const res = await sb.call(`/task/${item.id}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect((await sb.call(`/task/${item.id}`)).status).toBe(404);
    expect(item.deletedAt).not.toBeNull();
    expect((await allPages(sb, `/team/${sb.ctx.truth.clickup.teamId}/task?subtasks=true&include_closed=true`)).ids).not.toContain(item.id);
    expect(sb.ctx.changes().at(-1)).toMatchObject({ kind: "deleted", before: { deletedAt: null } });
  });

  it("custom field value via POST /task/{id}/field/{field_id}", async () => {
    const item = liveItems(sb.ctx)[0]!;
    const effort = sb.ctx.truth.clickup.customFields.find((f) => f.type === "number")!;
    expect((await sb.call(`/task/${item.id}/field/${effort.id}`, post({ value: 8 }))).status).toBe(200);
    expect(item.customFields[effort.name]).toBe(8);
    const task = await sb.json<Task>(`/task/${item.id}`);
    expect(task.custom_fields.find((f: Task) => f.id === effort.id).value).toBe("8");
    expect((await sb.call(`/task/${item.id}/field/nope`, post({ value: 1 }))).status).toBe(404);
  });
});

describe("comments", () => {
  it("newest 25 first, older ones with start/start_id; POST adds one at the top", async () => {
    const item = liveItems(sb.ctx)[0]!;
    for (let i = 0; i < 30; i++) {
      sb.ctx.clock.advance(1_000);
      const res = await sb.json<Task>(`/task/${item.id}/comment`, post({ comment_text: `note ${i}`, notify_all: false }));
      expect(res).toMatchObject({ id: expect.any(String), hist_id: expect.any(String), date: expect.any(Number) });
    }
    const first = await sb.json<{ comments: Task[] }>(`/task/${item.id}/comment`);
    expect(first.comments).toHaveLength(25);
    expect(first.comments[0]).toMatchObject({ comment_text: "note 29", comment: [{ text: "note 29" }], user: { id: sb.ctx.truth.people[0]!.clickupId } });
    const oldest = first.comments.at(-1)!;
    const rest = await sb.json<{ comments: Task[] }>(`/task/${item.id}/comment?start=${oldest.date}&start_id=${oldest.id}`);
    const all = [...first.comments, ...rest.comments].map((c) => c.id);
    const expected = [...item.comments].sort((a, b) => b.at - a.at).map((c) => c.id);
    expect(all).toEqual(expected);
  });
});

describe("time entries", () => {
  it("defaults to the last 30 days of the token's own entries; assignee= and start/end widen it", async () => {
    const me = sb.ctx.truth.people[0]!;
    const now = sb.ctx.now();
    const all = liveItems(sb.ctx).flatMap((i) => i.timeEntries.map((e) => ({ i, e })));
    const path = `/team/${sb.ctx.truth.clickup.teamId}/time_entries`;
    const mine = await sb.json<{ data: Task[] }>(path);
    const expectedMine = all.filter(({ e }) => e.person === me.key && e.startAt >= now - 30 * 86_400_000 && e.startAt <= now);
    expect(mine.data.map((d) => d.id).sort()).toEqual(expectedMine.map(({ e }) => e.id).sort());
    const everyone = sb.ctx.truth.people.map((p) => p.clickupId).join(",");
    const wide = await sb.json<{ data: Task[] }>(`${path}?start_date=0&end_date=${now}&assignee=${everyone}`);
    expect(wide.data.map((d) => d.id).sort()).toEqual(all.map(({ e }) => e.id).sort());
    expect(wide.data.length).toBeGreaterThan(0);
    const sample = wide.data[0]!;
    const truth = all.find(({ e }) => e.id === sample.id)!;
    expect(sample).toMatchObject({ task: { id: truth.i.id }, user: { id: expect.any(Number) }, start: truth.e.startAt, duration: String(truth.e.durationMs), wid: sb.ctx.truth.clickup.teamId });
    expect((await sb.call(`${path}?list_id=1&task_id=x`)).status).toBe(400);
  });

  it("POST logs time on a task and emits time_tracked", async () => {
    const item = liveItems(sb.ctx)[1]!;
    const start = sb.ctx.now() - 3_600_000;
    const res = await sb.json<{ data: Task }>(`/team/${sb.ctx.truth.clickup.teamId}/time_entries`, post({ tid: item.id, start, duration: 1_800_000, description: "pairing" }));
    expect(res.data).toMatchObject({ task: { id: item.id }, duration: "1800000", description: "pairing" });
    expect(item.timeEntries.at(-1)).toMatchObject({ startAt: start, durationMs: 1_800_000 });
    expect(sb.ctx.changes().at(-1)!.kind).toBe("time_tracked");
  });
});

describe("hierarchy", () => {
  it("team → spaces → folders → lists (+ folderless) cover every list exactly once", async () => {
    const { teams } = await sb.json<{ teams: Task[] }>("/team");
    expect(teams).toHaveLength(1);
    const seen: string[] = [];
    const { spaces } = await sb.json<{ spaces: Task[] }>(`/team/${teams[0]!.id}/space`);
    for (const space of spaces) {
      const { folders } = await sb.json<{ folders: Task[] }>(`/space/${space.id}/folder`);
      for (const folder of folders) {
        const { lists } = await sb.json<{ lists: Task[] }>(`/folder/${folder.id}/list`);
        seen.push(...lists.map((l) => l.id));
      }
      const { lists } = await sb.json<{ lists: Task[] }>(`/space/${space.id}/list`);
      seen.push(...lists.map((l) => l.id));
    }
    expect(seen.sort()).toEqual(sb.ctx.truth.clickup.lists.map((l) => l.id).sort());
    const list = sb.ctx.truth.clickup.lists[0]!;
    const one = await sb.json<Task>(`/list/${list.id}`);
    expect(one).toMatchObject({ id: list.id, name: list.name, task_count: liveItems(sb.ctx).filter((i) => i.container === list.id && i.parentId === null).length });
    const tags = await sb.json<{ tags: Task[] }>(`/space/${spaces[0]!.id}/tag`);
    expect(tags.tags.length).toBeGreaterThan(0);
  });
});
