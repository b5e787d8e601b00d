/** What every ClickUp route handler shares, and the lookups that answer with ClickUp's own errors. */
import type { SandboxContext, SandboxResponse } from "../kit/types.js";
import type { TruthItem } from "../truth/model.js";
import type { CustomFieldCatalog } from "./custom-fields.js";
import { ClickUpApiError, ClickUpErrors } from "./errors.js";
import type { ClickUpStore } from "./store.js";
import { type TaskViewContext, waitersIndex } from "./task-view.js";

export interface ClickUpEnv {
  ctx: SandboxContext;
  store: ClickUpStore;
  fields: CustomFieldCatalog;
  /** Person.key of the user the accepted token belongs to. */
  actingUser: string;
}

export function ok(body: unknown): SandboxResponse {
  return { status: 200, body };
}

/** Built per request: the dependency reverse index costs one pass over the items. */
export function viewContext(env: ClickUpEnv, query?: URLSearchParams): TaskViewContext {
  return { store: env.store, fields: env.fields, waitersByBlocker: waitersIndex(env.store.items), markdownDescription: query?.get("include_markdown_description") === "true" };
}

/** The token is authorized for exactly one workspace; any other team id is "Team not authorized". */
export function requireTeam(env: ClickUpEnv, teamId: string | undefined): void {
  if (teamId !== env.store.teamId) throw new ClickUpApiError(ClickUpErrors.teamNotAuthorized);
}

export function requireTask(env: ClickUpEnv, taskId: string | undefined): TruthItem {
  const item = taskId === undefined ? undefined : env.store.task(taskId);
  if (!item) throw new ClickUpApiError(ClickUpErrors.taskNotFound);
  return item;
}

export function requireList(env: ClickUpEnv, listId: string | undefined) {
  const list = listId === undefined ? undefined : env.store.list(listId);
  if (!list) throw new ClickUpApiError(ClickUpErrors.listNotFound);
  return list;
}

/** JSON object body; a non-object (array, string) is as unusable to ClickUp as malformed JSON. */
export function jsonObject(req: { json<T>(): T }): Record<string, unknown> {
  const body = req.json<unknown>();
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new ClickUpApiError(ClickUpErrors.badJson);
  return body as Record<string, unknown>;
}
