/**
 * "Time in Status" (CU-OAS `GetTask'sTimeinStatus`: GET /task/{task_id}/time_in_status, and
 * `GetBulkTasks'TimeinStatus`: GET /task/bulk_time_in_status/task_ids?task_ids=a&task_ids=b, "two
 * or more tasks", "up to 100 task ids per request", answered as an object keyed by task id). Both
 * need the workspace's "Total time in Status" ClickApp; without it ClickUp answers 403 TIS_027.
 *
 * Not documented, so chosen here: a bulk request with fewer than 2 or more than 100 ids is a 400;
 * one unknown (or deleted) id fails the whole request with 404 TASK_001, as GetTask answers it. The
 * sandbox's workspace has no Custom Task IDs, so `custom_task_ids=true` finds no task.
 */
import type { Route, SandboxRequest } from "../kit/types.js";
import { type ClickUpEnv, ok, requireTask, requireTeam } from "./env.js";
import { ClickUpApiError, ClickUpErrors, invalidInput } from "./errors.js";
import { timeInStatusView } from "./time-in-status-view.js";

/** CU-OAS GetBulkTasks'TimeinStatus: "You can include up to 100 task ids per request." */
export const MAX_BULK_TIME_IN_STATUS_IDS = 100;
/** CU-OAS: "View how long two or more tasks have been in each status." */
export const MIN_BULK_TIME_IN_STATUS_IDS = 2;

export interface TimeInStatusOptions {
  /** Whether the workspace has the "Total time in Status" ClickApp on. */
  enabled: boolean;
}

export function timeInStatusRoutes(env: ClickUpEnv, options: TimeInStatusOptions): Route[] {
  const guard = (req: SandboxRequest) => {
    if (!options.enabled) throw new ClickUpApiError(ClickUpErrors.timeInStatusDisabled);
    if (req.query.get("custom_task_ids") === "true") {
      requireTeam(env, req.query.get("team_id") ?? undefined);
      throw new ClickUpApiError(ClickUpErrors.taskNotFound);
    }
  };
  return [
    // Declared before its parametrised twin below (the router takes the first match).
    {
      method: "GET",
      pattern: "/task/bulk_time_in_status/task_ids",
      handler: (req) => {
        guard(req);
        const ids = req.query.getAll("task_ids");
        if (ids.length < MIN_BULK_TIME_IN_STATUS_IDS) throw new ClickUpApiError(invalidInput(`task_ids must name at least ${MIN_BULK_TIME_IN_STATUS_IDS} tasks`));
        if (ids.length > MAX_BULK_TIME_IN_STATUS_IDS) throw new ClickUpApiError(invalidInput(`task_ids may name at most ${MAX_BULK_TIME_IN_STATUS_IDS} tasks`));
        const now = env.ctx.now();
        const items = ids.map((id) => requireTask(env, id));
        return ok(Object.fromEntries(items.map((item) => [item.id, timeInStatusView(env.store, item, now)])));
      },
    },
    {
      method: "GET",
      pattern: "/task/:task_id/time_in_status",
      handler: (req) => {
        guard(req);
        return ok(timeInStatusView(env.store, requireTask(env, req.params.task_id), env.ctx.now()));
      },
    },
  ];
}
