import type { Logger } from "pino";
import { PlatformHttpError, setRawField } from "@pmo/platform-agent";
import type { ClickUpClient } from "./client.js";
import { clickUpFailure } from "./failures.js";
import type { ClickUpTask } from "./task-shape.js";

/**
 * ClickUp's "Time in Status" of one task (CU-OAS `GetTask'sTimeinStatus`, 2025-06-17 spec):
 * `current_status {status, color, total_time {by_minute, since}}` and `status_history [{status,
 * color, type, total_time {by_minute, since}, orderindex}]`; `since` is a ms-epoch string. Optional
 * fields here: the record comes back from snapshots written by older agents, and is checked on use.
 */
export interface TaskTimeInStatus {
  current_status?: { status?: string; color?: string; total_time?: TotalTime } | null;
  status_history?: { status?: string; color?: string; type?: string; total_time?: TotalTime; orderindex?: number | string }[] | null;
}

export interface TotalTime {
  by_minute?: number;
  since?: string | number;
}

/**
 * Where a task's time in status travels: beside ClickUp's own fields in the raw task, so the
 * snapshot keeps it and an incremental run that re-normalises an unchanged task still has it.
 * The `pmo_` prefix keeps it apart from anything ClickUp may add to the task object.
 */
export const TIME_IN_STATUS_FIELD = "pmo_time_in_status";

/** CU-OAS `GetBulkTasks'TimeinStatus`: "You can include up to 100 task ids per request." */
export const MAX_TASKS_PER_REQUEST = 100;

/**
 * The workspace's "Total time in Status" ClickApp is off (or not on its plan). The ECODE is not in
 * ClickUp's docs; it is what integrations recorded from real workspaces ("403 TIS_027 Time In Status
 * is not available on your plan"; one saw it with a 400), so the code decides, not the status.
 */
function isClickAppOff(err: unknown): boolean {
  return err instanceof PlatformHttpError && (err.status === 403 || err.status === 400) && /\bTIS_027\b/.test(err.body);
}

/**
 * Reads the time in status of a page of tasks in one request and stores it on each task under
 * TIME_IN_STATUS_FIELD. The bulk endpoint takes `task_ids=a&task_ids=b` (repeated, no brackets) for
 * "two or more tasks", so a single task goes to `GET /task/{id}/time_in_status`. With the ClickApp
 * off the reader says so once and asks no more for the rest of the run: the tasks keep today's
 * normalisation (no history, `startedAt` from `start_date`).
 */
export class TimeInStatusReader {
  private available = true;
  /**
   * Settles when the run's first request has been answered. Pages arriving meanwhile wait for it, so
   * with the ClickApp off a run spends exactly one request on finding out; after it, pages go in parallel.
   */
  private firstAnswer: Promise<void> | null = null;

  constructor(
    private readonly client: ClickUpClient,
    private readonly log: Logger,
    private readonly credentialEnv: string,
  ) {}

  async attach(tasks: readonly ClickUpTask[], signal?: AbortSignal): Promise<void> {
    for (let i = 0; i < tasks.length; i += MAX_TASKS_PER_REQUEST) {
      if (this.firstAnswer) await this.firstAnswer;
      if (!this.available) return;
      const read = this.read(tasks.slice(i, i + MAX_TASKS_PER_REQUEST), signal);
      this.firstAnswer ??= read.then(
        () => undefined,
        () => undefined,
      );
      await read;
    }
  }

  private async read(chunk: readonly ClickUpTask[], signal?: AbortSignal): Promise<void> {
    let byId: Record<string, TaskTimeInStatus>;
    try {
      byId = await this.fetch(chunk.map((t) => t.id), signal);
    } catch (err) {
      if (isClickAppOff(err)) return this.disable(err as PlatformHttpError);
      // A task deleted between its page and this request fails the whole request (404 TASK_001):
      // these tasks go without history until they change or the next full sweep reads them again.
      if (err instanceof PlatformHttpError && err.status === 404) {
        this.log.warn({ tasks: chunk.length, status: 404, body: err.body }, "clickup: time in status unavailable for a page of tasks (one was deleted meanwhile?): their history stays empty this run");
        return;
      }
      throw clickUpFailure(err, { credentialEnv: this.credentialEnv });
    }
    for (const t of chunk) {
      const record = byId[t.id];
      // Through setRawField: the task's raw bytes (written to the output as received) get the field too.
      if (record && typeof record === "object") setRawField(t, TIME_IN_STATUS_FIELD, record);
    }
  }

  private async fetch(ids: string[], signal?: AbortSignal): Promise<Record<string, TaskTimeInStatus>> {
    if (ids.length === 1) {
      const [id] = ids as [string];
      return { [id]: await this.client.get<TaskTimeInStatus>("/task/:task_id/time_in_status", `/task/${encodeURIComponent(id)}/time_in_status`, undefined, signal) };
    }
    // The query is written here: the client would send arrays as `task_ids[]=`, which this endpoint does not document.
    const query = ids.map((id) => `task_ids=${encodeURIComponent(id)}`).join("&");
    return this.client.get<Record<string, TaskTimeInStatus>>("/task/bulk_time_in_status/task_ids", `/task/bulk_time_in_status/task_ids?${query}`, undefined, signal);
  }

  private disable(err: PlatformHttpError): void {
    if (!this.available) return;
    this.available = false;
    this.log.warn(
      { status: err.status, body: err.body },
      'clickup: the workspace\'s "Total time in Status" ClickApp is off (TIS_027): collecting without status history (history stays empty, startedAt from start_date); a workspace admin can enable it under ClickApps',
    );
  }
}
