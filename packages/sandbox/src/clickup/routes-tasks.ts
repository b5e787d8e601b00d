/** Task reads and writes (platform-apis.md §1.3-1.5). */
import type { Route } from "../kit/types.js";
import { type ClickUpEnv, jsonObject, ok, requireList, requireTask, requireTeam, viewContext } from "./env.js";
import { parseTaskQuery, selectTaskPage } from "./filters.js";
import { taskView } from "./task-view.js";
import { createTask, deleteTask, updateTask } from "./task-writes.js";

export function taskRoutes(env: ClickUpEnv): Route[] {
  const { store } = env;
  return [
    {
      method: "GET",
      pattern: "/list/:list_id/task",
      handler: (req) => {
        const list = requireList(env, req.params.list_id);
        const q = parseTaskQuery(req.query);
        // Only tasks whose home list is list_id (CU-OAS GetTasks).
        const page = selectTaskPage(store, q, store.items.filter((i) => i.container === list.id));
        const view = viewContext(env, req.query);
        return ok({ tasks: page.tasks.map((t) => taskView(view, t)), last_page: page.lastPage });
      },
    },
    {
      method: "GET",
      pattern: "/team/:team_id/task",
      handler: (req) => {
        requireTeam(env, req.params.team_id);
        const page = selectTaskPage(store, parseTaskQuery(req.query), store.items);
        const view = viewContext(env, req.query);
        // The OAS lists only `tasks` here; `last_page` is sent too (as on the list endpoint) since
        // clients stop on it or on a short page, and it is harmless to those that ignore it.
        return ok({ tasks: page.tasks.map((t) => taskView(view, t)), last_page: page.lastPage });
      },
    },
    {
      method: "GET",
      pattern: "/task/:task_id",
      handler: (req) => {
        const item = requireTask(env, req.params.task_id);
        const view = viewContext(env, req.query);
        const task = taskView(view, item);
        if (req.query.get("include_subtasks") === "true") task.subtasks = store.subtasksOf(item.id).map((s) => taskView(view, s));
        return ok(task);
      },
    },
    {
      method: "POST",
      pattern: "/list/:list_id/task",
      handler: (req) => {
        const list = requireList(env, req.params.list_id);
        const item = createTask(env, list, jsonObject(req));
        return ok(taskView(viewContext(env), item));
      },
    },
    {
      method: "PUT",
      pattern: "/task/:task_id",
      handler: (req) => {
        const item = requireTask(env, req.params.task_id);
        updateTask(env, item, jsonObject(req));
        return ok(taskView(viewContext(env), item));
      },
    },
    {
      method: "DELETE",
      pattern: "/task/:task_id",
      handler: (req) => {
        deleteTask(env, requireTask(env, req.params.task_id));
        return { status: 204 }; // CU-OAS DeleteTask: 204 (its `{}` example cannot travel with a 204)
      },
    },
  ];
}
