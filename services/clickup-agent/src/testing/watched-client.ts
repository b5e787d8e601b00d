import { ClickUpClient, type Query } from "../client.js";
import type { TaskPage } from "../task-shape.js";
import type { HeapWatch } from "../../../../test/harness/heap-watch.js";

/** What the watch calls the raw tasks of the lists' pages. */
export const LIST_PAGE_TASKS = "list page tasks";

/** The agent's client, watching every raw task a list's page (`GET /list/{id}/task`) hands over. */
export class WatchedClickUpClient extends ClickUpClient {
  constructor(
    opts: ConstructorParameters<typeof ClickUpClient>[0],
    private readonly heap: HeapWatch,
  ) {
    super(opts);
  }

  override async get<T>(endpoint: string, path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    const body = await super.get<T>(endpoint, path, query, signal);
    if (endpoint === "/list/:list_id/task") for (const task of (body as TaskPage).tasks ?? []) this.heap.watch(LIST_PAGE_TASKS, task);
    return body;
  }
}
