/** Small response builders shared by the route modules. */
import type { SandboxRequest, SandboxResponse } from "../kit/types.js";
import type { TruthItem } from "../truth/model.js";
import type { RepoScope, RequestScope } from "./pipeline.js";
import { GitHubHttpError, issueDeleted, notFound } from "./errors.js";
import { linkTarget, pageWindow, paginate } from "./paginate.js";

export function ok(body: unknown, status = 200, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers, body };
}

/** One page of a list endpoint: bare array + `link` header. */
export function pagedList<T>(req: SandboxRequest, scope: RequestScope & { repo?: RepoScope["repo"] }, all: readonly T[], render: (item: T) => unknown): SandboxResponse {
  const page = paginate(all, pageWindow(req.query), linkTarget(req, scope.prefix, scope.repo?.id));
  return ok(page.items.map(render), 200, page.headers);
}

/** The live issue/PR named by `:issue_number` / `:pull_number`; GitHub's 410 if it was deleted, else 404. */
export function itemFromPath(req: SandboxRequest, scope: RepoScope, param: "issue_number" | "pull_number", doc: string): TruthItem {
  const raw = req.params[param] ?? "";
  const item = /^\d+$/.test(raw) ? scope.catalog.index.itemOrDeleted(scope.repo, Number(raw)) : undefined;
  if (!item) throw new GitHubHttpError(notFound(doc));
  if (item.deletedAt !== null) throw new GitHubHttpError(issueDeleted(doc));
  return item;
}
