import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlaneSandbox, type PlaneSandbox } from "./test-sandbox.js";

let sb: PlaneSandbox;
let base: string;

beforeAll(async () => {
  sb = await startPlaneSandbox({ itemsPerPlatform: 60 });
  base = `/api/v1/workspaces/${sb.slug}/projects/${sb.projectId}`;
});
afterAll(() => sb.close());

const firstLive = () => sb.ctx.truth.items.plane.find((i) => i.container === sb.projectId && i.deletedAt === null && i.assignees.length > 0)!;
const stateId = (category: string) => sb.ctx.truth.plane.states.find((s) => s.projectId === sb.projectId && s.category === category)!;

describe("Plane work item JSON", () => {
  it("renders a truth item with Plane's fields, encodings and ids", async () => {
    const item = firstLive();
    const { status, json } = await sb.call("GET", `${base}/work-items/${item.id}/`);
    expect(status).toBe(200);
    expect(Object.keys(json)).toEqual([
      "id", "type_id", "created_at", "updated_at", "deleted_at", "point", "name", "description_html", "description_binary",
      "priority", "start_date", "target_date", "sequence_id", "sort_order", "completed_at", "archived_at", "is_draft",
      "external_source", "external_id", "created_by", "updated_by", "project", "workspace", "parent", "state",
      "estimate_point", "type", "assignees", "labels",
    ]);
    expect(json).toMatchObject({ id: item.id, name: item.title, priority: item.priority, sequence_id: item.seq, project: sb.projectId, state: stateId(item.status).id });
    expect(json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/);
    expect(Date.parse(json.updated_at)).toBe(item.updatedAt);
    expect(json.assignees).toEqual(item.assignees.map((k) => sb.ctx.truth.people.find((p) => p.key === k)!.planeId));
    if (item.dueAt !== null) expect(json.target_date).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it("expands state and assignees, keeps only the requested fields", async () => {
    const item = firstLive();
    const expanded = await sb.call("GET", `${base}/work-items/${item.id}/?expand=state,assignees`);
    const state = stateId(item.status);
    expect(expanded.json.state).toEqual({ id: state.id, name: state.name, color: state.color, group: state.group });
    expect(expanded.json.assignees[0]).toMatchObject({ display_name: expect.any(String), email: expect.stringContaining("@") });
    const narrow = await sb.call("GET", `${base}/work-items/?per_page=3&fields=id,name,state&expand=state`);
    for (const row of narrow.json.results) {
      expect(Object.keys(row)).toEqual(["id", "name", "state"]);
      expect(Object.keys(row.state)).toEqual(["id", "name", "color", "group"]);
    }
  });

  it("writes DRF's bytes: compact JSON with Python floats", async () => {
    const item = firstLive();
    const { text } = await sb.call("GET", `${base}/work-items/${item.id}/`);
    expect(text.startsWith(`{"id":"${item.id}","type_id":null,"created_at":"`)).toBe(true);
    expect(text).toContain('"sort_order":65535.0,');
    const activities = await sb.call("GET", `${base}/work-items/${item.id}/activities/`);
    expect(activities.text).toMatch(/"epoch":\d+\.0,/);
  });

  it("finds a work item by its human key, and an activity by id", async () => {
    const item = firstLive();
    const project = sb.ctx.truth.plane.projects.find((p) => p.id === sb.projectId)!;
    const byKey = await sb.call("GET", `/api/v1/workspaces/${sb.slug}/work-items/${project.identifier}-${item.seq}/`);
    expect(byKey.status).toBe(200);
    expect(byKey.json.id).toBe(item.id);
    expect((await sb.call("GET", `/api/v1/workspaces/${sb.slug}/work-items/${project.identifier}-99999/`)).status).toBe(404);
    expect((await sb.call("GET", `/api/v1/workspaces/${sb.slug}/work-items/NOPE-1/`)).status).toBe(403);
    expect((await sb.call("GET", `/api/v1/workspaces/${sb.slug}/work-items/nohyphen/`)).json).toEqual({ error: "Page not found." });
    const activities = await sb.call("GET", `${base}/work-items/${item.id}/activities/`);
    const one = await sb.call("GET", `${base}/work-items/${item.id}/activities/${activities.json.results[0].id}/`);
    expect(one.json).toEqual(activities.json.results[0]);
    const missing = await sb.call("GET", `${base}/work-items/${item.id}/activities/00000000-0000-4000-8000-000000000000/`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ message: "Activity not found.", code: "NOT_FOUND" });
  });

  it("serves the legacy issues/ alias with the same data", async () => {
    const item = firstLive();
    const modern = await sb.call("GET", `${base}/work-items/${item.id}/`);
    const legacy = await sb.call("GET", `${base}/issues/${item.id}/`);
    expect(legacy.json).toEqual(modern.json);
  });
});

describe("Plane work item writes", () => {
  it("creates, finds by external id, refuses a duplicate with 409, patches and deletes", async () => {
    const todo = stateId("todo");
    const created = await sb.call("POST", `${base}/work-items/`, {
      body: { name: "Import from Jira", priority: "high", state: todo.id, external_id: "JIRA-1", external_source: "jira", target_date: "2026-12-01" },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "Import from Jira", priority: "high", state: todo.id, external_id: "JIRA-1", external_source: "jira", target_date: "2026-12-01", is_draft: false });
    const id = created.json.id;
    expect(sb.ctx.truth.items.plane.find((i) => i.id === id)).toMatchObject({ title: "Import from Jira", status: "todo" });
    expect(sb.ctx.changes().at(-1)).toMatchObject({ kind: "created", platform: "plane" });

    const lookup = await sb.call("GET", `${base}/work-items/?external_id=JIRA-1&external_source=jira`);
    expect(lookup.status).toBe(200);
    expect(lookup.json.id).toBe(id); // a single object, not a page
    expect((await sb.call("GET", `${base}/work-items/?external_id=NOPE&external_source=jira`)).status).toBe(404);

    const duplicate = await sb.call("POST", `${base}/work-items/`, { body: { name: "Again", external_id: "JIRA-1", external_source: "jira" } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json).toEqual({ error: "Issue with the same external id and external source already exists", id });

    const started = stateId("in_progress");
    const patched = await sb.call("PATCH", `${base}/work-items/${id}/`, { body: { state: started.id, priority: "urgent" } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ state: started.id, priority: "urgent" });
    const truthItem = sb.ctx.truth.items.plane.find((i) => i.id === id)!;
    expect(truthItem.transitions.map((t) => [t.from, t.to])).toEqual([[null, "todo"], ["todo", "in_progress"]]);
    expect(truthItem.status).toBe("in_progress");
    expect(sb.ctx.changes().slice(-2).map((c) => c.kind).sort()).toEqual(["status_changed", "updated"]);

    const activities = await sb.call("GET", `${base}/work-items/${id}/activities/`);
    const stateRows = activities.json.results.filter((a: any) => a.field === "state");
    expect(stateRows.at(-1)).toMatchObject({ verb: "updated", old_value: todo.name, new_value: started.name, old_identifier: todo.id, new_identifier: started.id, issue: id });
    expect(activities.json.results.some((a: any) => a.field === "priority" && a.old_value === "high" && a.new_value === "urgent")).toBe(true);
    expect(activities.json.results[0].verb).toBe("created");

    const deleted = await sb.call("DELETE", `${base}/work-items/${id}/`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    const gone = await sb.call("GET", `${base}/work-items/${id}/`);
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: "The requested resource does not exist." });
    expect(truthItem.deletedAt).not.toBeNull();
    const list = await sb.call("GET", `${base}/work-items/`);
    expect(list.json.results.map((r: any) => r.id)).not.toContain(id);
  });

  it("hides drafts from the list and the detail GET", async () => {
    const draft = await sb.call("POST", `${base}/work-items/`, { body: { name: "Half-written", is_draft: true } });
    expect(draft.status).toBe(201);
    expect(draft.json.is_draft).toBe(true);
    expect((await sb.call("GET", `${base}/work-items/${draft.json.id}/`)).status).toBe(404);
    const list = await sb.call("GET", `${base}/work-items/`);
    expect(list.json.results.map((r: any) => r.id)).not.toContain(draft.json.id);
    const published = await sb.call("PATCH", `${base}/work-items/${draft.json.id}/`, { body: { is_draft: false } });
    expect(published.status).toBe(200);
    expect((await sb.call("GET", `${base}/work-items/${draft.json.id}/`)).status).toBe(200);
  });

  it("answers serializer errors as DRF field maps", async () => {
    const missing = await sb.call("POST", `${base}/work-items/`, { body: { priority: "high" } });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ name: ["This field is required."] });
    const badPriority = await sb.call("POST", `${base}/work-items/`, { body: { name: "x", priority: "p0" } });
    expect(badPriority.json).toEqual({ priority: ['"p0" is not a valid choice.'] });
    const dates = await sb.call("POST", `${base}/work-items/`, { body: { name: "x", start_date: "2026-12-02", target_date: "2026-12-01" } });
    expect(dates.json).toEqual({ non_field_errors: ["Start date cannot exceed target date"] });
  });

  it("shows the generated status history as state activities", async () => {
    const item = sb.ctx.truth.items.plane.find((i) => i.container === sb.projectId && i.deletedAt === null && i.transitions.length >= 3)!;
    const { json } = await sb.call("GET", `${base}/work-items/${item.id}/activities/?per_page=2`);
    const all = [json.results];
    let page = json;
    while (page.next_page_results) {
      page = (await sb.call("GET", `${base}/work-items/${item.id}/activities/?per_page=2&cursor=${page.next_cursor}`)).json;
      all.push(page.results);
    }
    const states = all.flat().filter((a: any) => a.field === "state");
    expect(states.map((a: any) => [a.old_identifier, a.new_identifier, Date.parse(a.created_at)])).toEqual(
      item.transitions.slice(1).map((t) => [stateId(t.from!).id, stateId(t.to).id, t.at]),
    );
  });

  it("adds and lists comments", async () => {
    const item = firstLive();
    const before = item.comments.length;
    const posted = await sb.call("POST", `${base}/work-items/${item.id}/comments/`, { body: { comment_html: "<p>Looks good</p>" } });
    expect(posted.status).toBe(201);
    expect(posted.json).toMatchObject({ comment_html: "<p>Looks good</p>", issue: item.id, actor: sb.ctx.truth.people[0]!.planeId });
    expect(item.comments).toHaveLength(before + 1);
    expect(item.comments.at(-1)!.body).toBe("Looks good");
    const listed = await sb.call("GET", `${base}/work-items/${item.id}/comments/`);
    expect(listed.json.total_count).toBe(before + 1);
    expect(listed.json.results[0].comment_html).toBe("<p>Looks good</p>"); // newest first
  });

  it("lists relations from the truth's blockers, both ways", async () => {
    const blocked = sb.ctx.truth.items.plane.find((i) => i.container === sb.projectId && i.deletedAt === null && i.blockedBy.length > 0);
    const [a, b] = sb.ctx.truth.items.plane.filter((i) => i.container === sb.projectId && i.deletedAt === null && i.blockedBy.length === 0);
    const made = await sb.call("POST", `${base}/work-items/${a!.id}/relations/`, { body: { relation_type: "blocked_by", issues: [b!.id] } });
    expect(made.status).toBe(201);
    expect(a!.blockedBy).toContain(b!.id);
    const forward = await sb.call("GET", `${base}/work-items/${a!.id}/relations/`);
    expect(Object.keys(forward.json)).toEqual(["blocking", "blocked_by", "duplicate", "relates_to", "start_after", "start_before", "finish_after", "finish_before"]);
    expect(forward.json.blocked_by).toEqual([{ project_id: sb.projectId, issue_id: b!.id }]);
    const reverse = await sb.call("GET", `${base}/work-items/${b!.id}/relations/`);
    expect(reverse.json.blocking).toContainEqual({ project_id: sb.projectId, issue_id: a!.id });
    if (blocked) {
      const generated = await sb.call("GET", `${base}/work-items/${blocked.id}/relations/`);
      expect(generated.json.blocked_by.map((r: any) => r.issue_id)).toEqual(blocked.blockedBy);
    }
  });

  it("answers the reverse relation as the truth now stands, after writes since the last answer", async () => {
    const [a, b] = sb.ctx.truth.items.plane.filter((i) => i.container === sb.projectId && i.deletedAt === null && i.blockedBy.length === 0).slice(2);
    const blocking = async () => (await sb.call("GET", `${base}/work-items/${b!.id}/relations/`)).json.blocking.map((r: any) => r.issue_id);
    expect(await blocking()).not.toContain(a!.id);
    expect((await sb.call("POST", `${base}/work-items/${a!.id}/relations/`, { body: { relation_type: "blocked_by", issues: [b!.id] } })).status).toBe(201);
    expect(await blocking()).toContain(a!.id);
    expect((await sb.call("DELETE", `${base}/work-items/${a!.id}/`)).status).toBe(204);
    expect(await blocking()).not.toContain(a!.id);
  });

  it("lists cycle and module members and users/members", async () => {
    const cycled = sb.ctx.truth.items.plane.find((i) => i.container === sb.projectId && i.deletedAt === null && i.sprint !== null)!;
    const cycle = sb.ctx.truth.plane.cycles.find((c) => c.projectId === sb.projectId && c.sprint === cycled.sprint)!;
    const members = await sb.call("GET", `${base}/cycles/${cycle.id}/cycle-issues/`);
    const expected = sb.ctx.truth.items.plane.filter((i) => i.container === sb.projectId && i.deletedAt === null && i.sprint === cycled.sprint);
    expect(members.json.results.map((r: any) => r.id).sort()).toEqual(expected.map((i) => i.id).sort());
    const me = await sb.call("GET", "/api/v1/users/me/");
    expect(me.json).toMatchObject({ id: sb.ctx.truth.people[0]!.planeId, email: sb.ctx.truth.people[0]!.email });
    const people = await sb.call("GET", `/api/v1/workspaces/${sb.slug}/members/`);
    expect(people.json).toHaveLength(sb.ctx.truth.people.length);
    expect(people.json[0]).toMatchObject({ role: 20 });
  });
});
