import { ClickUpClient, type RequestSpec } from "../client.js";
import type { TaskPage } from "../task-shape.js";
import type { HeapWatch } from "../../../../test/harness/heap-watch.js";

/** What the watch calls the raw tasks of the lists' pages. */
export const LIST_PAGE_TASKS = "list page tasks";

/**
 * The agent's client, watching every raw task a list's page (`GET /list/{id}/task`) hands over, and
 * counting (a forced collection) what is still held of the earlier pages each time one arrives:
 * the moment a bound on the pages held is tested.
 */
export class WatchedClickUpClient extends ClickUpClient {
  constructor(
    opts: ConstructorParameters<typeof ClickUpClient>[0],
    private readonly heap: HeapWatch,
  ) {
    super(opts);
  }

  override async call<T>(spec: RequestSpec): Promise<T> {
    const body = await super.call<T>(spec);
    if (spec.endpoint === "GET /list/:list_id/task") {
      for (const task of (body as TaskPage).tasks ?? []) this.heap.watch(LIST_PAGE_TASKS, task);
      await this.heap.sample();
    }
    return body;
  }
}
