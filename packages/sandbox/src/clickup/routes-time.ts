/**
 * Time Tracking 2.0 (platform-apis.md §1.9): GET /team/{id}/time_entries over a start/end window
 * — by default the last 30 days and only the token's own entries; `assignee=1,2` for others; at
 * most one of space_id / folder_id / list_id / task_id — and POST to log time on a task.
 * Pagination of time entries is not documented (none here).
 */
import type { Route } from "../kit/types.js";
import type { TimeEntry, TruthItem } from "../truth/model.js";
import { touch } from "../truth/mutate.js";
import { type ClickUpEnv, jsonObject, ok, requireTask, requireTeam } from "./env.js";
import { ClickUpApiError, invalidInput } from "./errors.js";
import { folderRef } from "./hierarchy-view.js";
import { statusObject } from "./statuses.js";
import { tagView } from "./task-view.js";

/** @default 30 days: the window ClickUp applies when start_date / end_date are absent. */
export const DEFAULT_TIME_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

const LOCATION_FILTERS = ["space_id", "folder_id", "list_id", "task_id"] as const;

function bad(err: string): never {
  throw new ClickUpApiError(invalidInput(err, "TIMEENTRY_001"));
}

function msQuery(query: URLSearchParams, name: string): number | null {
  const v = query.get(name);
  if (v === null || v === "") return null;
  const n = Number(v);
  if (!Number.isFinite(n)) bad(`${name} must be a Unix time in milliseconds`);
  return n;
}

export function timeRoutes(env: ClickUpEnv): Route[] {
  const { store } = env;

  const entryView = (item: TruthItem, e: TimeEntry, query: URLSearchParams) => {
    const list = store.list(item.container);
    const folder = list ? folderRef(store, list) : null;
    const space = list ? store.space(list.spaceId) : undefined;
    const location: Record<string, unknown> = { list_id: Number(item.container), folder_id: Number(folder?.id), space_id: Number(list?.spaceId) };
    if (query.get("include_location_names") === "true") Object.assign(location, { list_name: list?.name, folder_name: folder?.name, space_name: space?.name });
    return {
      id: e.id,
      task: { id: item.id, custom_id: null, name: item.title, status: statusObject(store.layout, item.status), custom_type: null },
      wid: store.teamId,
      user: store.user(e.person),
      billable: false,
      // Types as in the CU-OAS example: start/end numbers, duration/at strings.
      start: e.startAt,
      end: e.startAt + e.durationMs,
      duration: String(e.durationMs),
      description: e.description,
      tags: [],
      source: "clickup",
      at: String(e.startAt + e.durationMs),
      task_location: location,
      ...(query.get("include_task_tags") === "true" ? { task_tags: item.labels.map(tagView) } : {}),
      task_url: `https://app.clickup.com/t/${item.id}`,
    };
  };

  return [
    {
      method: "GET",
      pattern: "/team/:team_id/time_entries",
      handler: (req) => {
        requireTeam(env, req.params.team_id);
        const q = req.query;
        const now = env.ctx.now();
        const end = msQuery(q, "end_date") ?? now;
        const start = msQuery(q, "start_date") ?? end - DEFAULT_TIME_WINDOW_MS;
        const assigneeText = q.get("assignee");
        const people = assigneeText
          ? assigneeText.split(",").map((id) => store.personByClickUpId(Number(id.trim()))?.key ?? `unknown:${id}`)
          : [env.actingUser];
        const locations = LOCATION_FILTERS.filter((f) => q.get(f));
        if (locations.length > 1) bad("Only one of space_id, folder_id, list_id or task_id may be given");
        const [loc] = locations;
        const locId = loc ? q.get(loc)! : null;
        if (q.get("is_billable") === "true") return ok({ data: [] }); // no sandbox entry is billable
        const out: { item: TruthItem; e: TimeEntry }[] = [];
        for (const item of store.items) {
          if (item.deletedAt !== null || item.timeEntries.length === 0) continue;
          if (loc && locId !== null) {
            const list = store.list(item.container);
            const at = { space_id: list?.spaceId, folder_id: list?.folderId, list_id: item.container, task_id: item.id }[loc];
            if (at !== locId) continue;
          }
          for (const e of item.timeEntries) if (e.startAt >= start && e.startAt <= end && people.includes(e.person)) out.push({ item, e });
        }
        out.sort((a, b) => a.e.startAt - b.e.startAt || (a.e.id < b.e.id ? -1 : 1));
        return ok({ data: out.map(({ item, e }) => entryView(item, e, q)) });
      },
    },
    {
      method: "POST",
      pattern: "/team/:team_id/time_entries",
      handler: (req) => {
        requireTeam(env, req.params.team_id);
        const body = jsonObject(req);
        if (typeof body.tid !== "string") bad("tid (the task id) is required: sandbox time entries always belong to a task");
        const item = requireTask(env, body.tid);
        const startAt = body.start;
        if (typeof startAt !== "number" || !Number.isInteger(startAt)) bad("start must be a Unix time in milliseconds");
        const stop = typeof body.stop === "number" ? body.stop : typeof body.end === "number" ? body.end : null;
        const durationMs = typeof body.duration === "number" ? body.duration : stop !== null ? stop - startAt : NaN;
        if (!Number.isInteger(durationMs) || durationMs <= 0) bad("duration (or stop/end after start) must be a positive number of milliseconds");
        const person = typeof body.assignee === "number" ? store.personByClickUpId(body.assignee)?.key : env.actingUser;
        if (!person) bad(`assignee ${String(body.assignee)} is not a member of this workspace`);
        const entry: TimeEntry = { id: store.nextNumericId("clickupTimeEntry"), person, startAt, durationMs, description: typeof body.description === "string" ? body.description : "" };
        const now = env.ctx.now();
        const before: Partial<TruthItem> = { timeEntries: [...item.timeEntries], updatedAt: item.updatedAt };
        item.timeEntries.push(entry);
        touch(item, now);
        env.ctx.emitChange({ platform: "clickup", kind: "time_tracked", item, before, at: now, by: env.actingUser });
        return ok({ data: entryView(item, entry, req.query) });
      },
    },
  ];
}
