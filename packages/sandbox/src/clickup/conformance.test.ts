import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSpec, responseExample, shapeDiff, type ShapeRules } from "./testing/openapi-shape.js";
import { type ClickUpSandbox, liveItems, startClickUp } from "./testing/start-clickup.js";

type Json = any;

/**
 * What a faithful task may legitimately differ in from the spec's examples: `time_spent` only with
 * time entries and `points` only when set (developer.clickup.com GetTasks / its example),
 * `email_assignees` is absent from real GetTask answers, user pictures are null without an upload,
 * and custom field values are polymorphic per field type.
 */
const TASK_RULES = withListings({
  optional: ["time_spent", "points", "email_assignees", "markdown_description", "custom_fields.*.value"],
  nullable: ["creator.profilePicture", "assignees.*.profilePicture", "watchers.*.profilePicture", "parent", "priority", "due_date", "start_date", "time_estimate", "date_closed", "date_done"],
  free: ["custom_fields.*.value", "custom_fields.*.type_config"],
});

/** The same rules for the tasks inside a `{tasks: [...]}` listing. */
function withListings(rules: Required<ShapeRules>): Required<ShapeRules> {
  const both = (paths: string[]) => [...paths, ...paths.map((p) => `tasks.*.${p}`)];
  return { optional: both(rules.optional), nullable: both(rules.nullable), free: both(rules.free) };
}

let spec: Json;
let sb: ClickUpSandbox;
beforeAll(async () => {
  spec = loadSpec();
  sb = await startClickUp({ seed: 41, items: 200 });
});
afterAll(() => sb.close());

/** A live task with every optional part present: a parent, points, time entries, tags, a due date. */
function richTask() {
  return liveItems(sb.ctx).find((i) => i.parentId !== null && i.estimatePoints !== null && i.timeEntries.length > 0 && i.labels.length > 0 && i.dueAt !== null && i.assignees.length > 0 && i.priority !== "none")!;
}

describe("responses conform to the ClickUp OpenAPI examples", () => {
  it("GET /task/{id} has every key of the CreateTask / UpdateTask response examples, with their types", async () => {
    const item = richTask();
    const task = await sb.json<Json>(`/task/${item.id}?include_markdown_description=true`);
    expect(task.markdown_description).toBe(item.description);
    for (const [path, method] of [["/v2/list/{list_id}/task", "post"], ["/v2/task/{task_id}", "put"]] as const) {
      expect(shapeDiff(task, responseExample(spec, path, method), TASK_RULES), `${method} ${path}`).toEqual([]);
    }
    // Types the schema pins down: ms-epoch strings for dates, status.orderindex an integer, priority object.
    for (const k of ["date_created", "date_updated", "due_date"]) expect(task[k]).toMatch(/^\d{13}$/);
    expect(Number.isInteger(task.status.orderindex)).toBe(true);
    expect(Object.keys(task.priority).sort()).toEqual(["color", "id", "orderindex", "priority"]);
    expect(typeof task.time_spent).toBe("number");
  });

  it("a freshly created task (no points, no time) still matches the CreateTask example", async () => {
    const list = sb.ctx.truth.clickup.lists[0]!;
    const created = await sb.json<Json>(`/list/${list.id}/task`, { method: "POST", body: JSON.stringify({ name: "Spec check", priority: 3 }) });
    expect(shapeDiff(created, responseExample(spec, "/v2/list/{list_id}/task", "post"), TASK_RULES)).toEqual([]);
  });

  it("task listings match the GetTasks and GetFilteredTeamTasks examples", async () => {
    const list = richTask().container;
    const page = await sb.json<Json>(`/list/${list}/task?subtasks=true&include_closed=true`);
    expect(shapeDiff(page, responseExample(spec, "/v2/list/{list_id}/task", "get")[0] ?? responseExample(spec, "/v2/list/{list_id}/task", "get"), TASK_RULES)).toEqual([]);
    expect(typeof page.last_page).toBe("boolean");
    const team = await sb.json<Json>(`/team/${sb.ctx.truth.clickup.teamId}/task?subtasks=true&include_closed=true`);
    // The team example's `priority: 1` and `time_estimate: 1.2` are known oddities of the spec (platform-apis.md §1.4).
    expect(shapeDiff(team, responseExample(spec, "/v2/team/{team_Id}/task", "get"), { ...TASK_RULES, free: [...TASK_RULES.free, "tasks.*.priority", "tasks.*.checklists", "tasks.*.watchers"] })).toEqual([]);
  });

  it("hierarchy, comments, time entries, tags, fields and webhooks match their examples", async () => {
    const { teamId, spaces, lists } = sb.ctx.truth.clickup;
    const people = { nullable: ["*.*.user.profilePicture", "teams.*.members.*.user.profilePicture", "*.*.assignee", "*.*.assigned_by", "teams.*.avatar", "spaces.*.avatar"] };
    expect(shapeDiff(await sb.json(`/team`), responseExample(spec, "/v2/team", "get"), people)).toEqual([]);
    expect(shapeDiff(await sb.json(`/team/${teamId}/space`), responseExample(spec, "/v2/team/{team_id}/space", "get"), people)).toEqual([]);
    const folders = await sb.json<Json>(`/space/${spaces[0]!.id}/folder`);
    expect(shapeDiff(folders, responseExample(spec, "/v2/space/{space_id}/folder", "get"), { free: ["folders.*.lists"] })).toEqual([]);
    expect(shapeDiff(await sb.json(`/list/${lists[0]!.id}`), responseExample(spec, "/v2/list/{list_id}", "get"), { nullable: ["status", "priority", "due_date", "start_date"] })).toEqual([]);
    const commented = liveItems(sb.ctx).find((i) => i.comments.length > 0)!;
    expect(shapeDiff(await sb.json(`/task/${commented.id}/comment`), responseExample(spec, "/v2/task/{task_id}/comment", "get"), people)).toEqual([]);
    const entries = await sb.json<Json>(`/team/${teamId}/time_entries?start_date=0&include_task_tags=true&include_location_names=true&assignee=${sb.ctx.truth.people.map((p) => p.clickupId).join(",")}`);
    expect(entries.data.length).toBeGreaterThan(0);
    expect(shapeDiff(entries, responseExample(spec, "/v2/team/{team_Id}/time_entries", "get"), { nullable: [...people.nullable, "data.*.task.custom_id"], free: ["data.*.task_tags.*.creator"] })).toEqual([]);
    expect(shapeDiff(await sb.json(`/space/${spaces[0]!.id}/tag`), responseExample(spec, "/v2/space/{space_id}/tag", "get"))).toEqual([]);
    const hook = await sb.json<Json>(`/team/${teamId}/webhook`, { method: "POST", body: JSON.stringify({ endpoint: "http://127.0.0.1:9/hook", events: ["*"] }) });
    expect(shapeDiff(hook, responseExample(spec, "/v2/team/{team_id}/webhook", "post"))).toEqual([]);
    expect(shapeDiff(await sb.json(`/team/${teamId}/webhook`), responseExample(spec, "/v2/team/{team_id}/webhook", "get"))).toEqual([]);
  });

  it("the checker itself reports a missing key and a wrong type", () => {
    const example = responseExample(spec, "/v2/list/{list_id}/task", "post");
    const broken = { ...example, date_created: 1567780450202 };
    delete broken.url;
    expect(shapeDiff(broken, example)).toEqual(["date_created: number, example has string", "url: missing"]);
  });
});
