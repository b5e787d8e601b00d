import type { ClickUpClient } from "./client.js";
import { TASKS_PER_PAGE, type ClickUpTask, type TaskPage } from "./task-shape.js";

/** Every task, closed ones and subtasks included (ClickUp leaves both out by default). */
const EVERYTHING = { include_closed: true, subtasks: true, archived: false } as const;

/**
 * Walks 0-based pages (each parsed task by task, keeping its text as its raw source) until ClickUp
 * says `last_page` (or a short page comes back, for endpoints whose spec omits `last_page`), handing
 * each page over as it arrives so the caller never holds more than it chooses to; `beforePage`, when
 * given, is awaited before each request (a bound on the pages held, see page-budget.ts).
 */
async function walkPages(fetchPage: (page: number) => Promise<TaskPage>, onPage: (tasks: ClickUpTask[]) => void | Promise<void>, beforePage?: () => Promise<void>): Promise<number> {
  for (let page = 0; ; page++) {
    if (beforePage) await beforePage();
    // Fetched and handed over in a call of its own: a page kept in this loop's variables would stay
    // alive while the next `beforePage` waits, one page per walker beyond the caller's bound.
    if (await handOver(fetchPage, page, onPage)) return page + 1;
  }
}

/** Fetches page `page` and hands its tasks over; true when it is the last page. */
async function handOver(fetchPage: (page: number) => Promise<TaskPage>, page: number, onPage: (tasks: ClickUpTask[]) => void | Promise<void>): Promise<boolean> {
  const body = await fetchPage(page);
  const tasks = Array.isArray(body.tasks) ? body.tasks : [];
  await onPage(tasks);
  return body.last_page === true || tasks.length < TASKS_PER_PAGE;
}

/** All tasks whose home list is `listId`, oldest first (creation order keeps paging stable while tasks change). */
export function listTasks(client: ClickUpClient, listId: string, onPage: (tasks: ClickUpTask[]) => void | Promise<void>, signal?: AbortSignal, beforePage?: () => Promise<void>): Promise<number> {
  return walkPages((page) => client.call<TaskPage>({ endpoint: "GET /list/:list_id/task", path: `/list/${listId}/task`, query: { ...EVERYTHING, order_by: "created", page }, items: "tasks", signal }), onPage, beforePage);
}

/** Tasks of the given lists updated after `sinceMs`: one query across the lists (`date_updated_gt`, ms). */
export function updatedTasks(
  client: ClickUpClient,
  teamId: string,
  listIds: readonly string[],
  sinceMs: number,
  onPage: (tasks: ClickUpTask[]) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<number> {
  return walkPages(
    (page) => client.call<TaskPage>({ endpoint: "GET /team/:team_id/task", path: `/team/${teamId}/task`, query: { ...EVERYTHING, list_ids: listIds, date_updated_gt: Math.floor(sinceMs), order_by: "updated", page }, items: "tasks", signal }),
    onPage,
  );
}
