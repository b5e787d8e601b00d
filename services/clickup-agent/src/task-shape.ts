import type { ClickUpStatus } from "./status-category.js";
import type { TaskTimeInStatus } from "./time-in-status.js";

/** The fields of a ClickUp task object (platform-apis.md §1.4) this agent reads; the rest travels in `raw`. */
export interface ClickUpTask {
  id: string;
  custom_id?: string | null;
  name: string;
  description?: string | null;
  text_content?: string | null;
  status: ClickUpStatus;
  date_created: string | number;
  date_updated: string | number;
  date_closed?: string | number | null;
  date_done?: string | number | null;
  start_date?: string | number | null;
  due_date?: string | number | null;
  assignees?: { id: number; username: string | null; email?: string | null }[];
  tags?: { name: string }[];
  parent?: string | null;
  priority?: unknown;
  points?: number | null;
  time_estimate?: number | string | null;
  time_spent?: number | string | null;
  dependencies?: { task_id: string; depends_on: string; type?: number }[];
  list?: { id: string; name?: string };
  url?: string;
  /** Not ClickUp's: the task's time in status, fetched beside its page and kept in the raw task (time-in-status.ts). */
  pmo_time_in_status?: TaskTimeInStatus;
}

export interface TaskPage {
  tasks: ClickUpTask[];
  last_page?: boolean;
}

/** ClickUp's page size for task lists ("limited to 100 tasks per page"). */
export const TASKS_PER_PAGE = 100;
