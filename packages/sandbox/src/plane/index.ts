/**
 * Plane public API v1 emulator: `createPlaneDialect(ctx, options)` gives the kit Plane's routes
 * (all under `/api/v1/`, trailing slash required), its X-API-Key authentication, its error bodies,
 * its per-key throttle and its v1 webhook deliveries.
 */
import { retryAfterSeconds } from "../kit/rate-window.js";
import { Router } from "../kit/router.js";
import type { PlatformDialect, Route, SandboxContext, SandboxRequest, SandboxResponse } from "../kit/types.js";
import { appendSlashRoutes, matchesDjangoConverters, methodNotAllowedRoutes, planeHandler, type EndpointDeps, type PlaneRoute } from "./endpoint.js";
import { PlaneErrors } from "./errors.js";
import { ApiKeyThrottle, DEFAULT_RATE_LIMIT_PER_MINUTE } from "./rate-limit.js";
import { projectRoutes } from "./routes-project.js";
import { workItemHistoryRoutes } from "./routes-work-item-history.js";
import { workItemRoutes } from "./routes-work-items.js";
import { workspaceRoutes } from "./routes-workspace.js";
import { PlaneStore } from "./store.js";
import { renderPlaneWebhook } from "./webhook-view.js";

export { signPlaneWebhook, verifyPlaneWebhook } from "./signature.js";
export { pythonJsonDumps, pyFloat } from "./python-json.js";
export { DEFAULT_PER_PAGE, MAX_PER_PAGE, type PlanePage } from "./paginate.js";
export { DEFAULT_RATE_LIMIT_PER_MINUTE } from "./rate-limit.js";

export const PLANE_PREFIX = "/api/v1";

export interface PlaneDialectOptions {
  /** The personal API token clients send as `X-API-Key` (Plane shows them as `plane_api_…`). */
  apiKey: string;
  /** Requests per minute per key (Plane's `API_KEY_RATE_LIMIT`). @default 60 */
  rateLimitPerMinute?: number;
  /** Person.key of the token's owner. @default the truth's first person (the workspace admin) */
  userKey?: string;
}

export interface PlaneDialect extends PlatformDialect {
  /** Forgets all throttle history (the control API's reset). */
  resetRateLimits(): void;
}

export function createPlaneDialect(ctx: SandboxContext, options: PlaneDialectOptions): PlaneDialect {
  const userKey = options.userKey ?? ctx.truth.people[0]?.key;
  if (!userKey) throw new Error("Plane dialect needs at least one person in the truth");
  const store = new PlaneStore(ctx, userKey);
  const throttle = new ApiKeyThrottle(ctx, options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE);

  const viewRoutes: PlaneRoute[] = [...workspaceRoutes(store), ...projectRoutes(store), ...workItemRoutes(store), ...workItemHistoryRoutes(store)];
  // A method-blind matcher over the view patterns: is this an URL Django would resolve at all?
  const resolvable = new Router(viewRoutes.map((r) => ({ method: "GET" as const, pattern: r.pattern, handler: r.handle })));

  const authenticate = (req: SandboxRequest): SandboxResponse | null => {
    // Django resolves the URL before DRF authenticates: unknown URLs (404) and slash-less ones
    // (301 by CommonMiddleware) are answered without looking at the key.
    const match = resolvable.match("GET", req.path);
    if (!match || !matchesDjangoConverters(match.params)) return null;
    const key = req.headers["x-api-key"];
    if (key === undefined || key === "") return PlaneErrors.notAuthenticated().toResponse();
    return key === options.apiKey ? null : PlaneErrors.invalidToken().toResponse();
  };

  const deps: EndpointDeps = { store, throttle, authenticate };
  const routes: Route[] = [
    ...viewRoutes.map((r) => ({ method: r.method, pattern: r.pattern, handler: planeHandler(deps, r.permission, r.handle) })),
    ...methodNotAllowedRoutes(deps, viewRoutes),
    ...appendSlashRoutes(viewRoutes.map((r) => r.pattern)),
  ];

  return {
    platform: "plane",
    prefix: PLANE_PREFIX,
    routes,
    authenticate,
    errorResponse(kind) {
      switch (kind) {
        case "not_found":
          return PlaneErrors.pageNotFound().toResponse();
        case "bad_json":
          return PlaneErrors.badJson().toResponse();
        case "server_error":
          return PlaneErrors.serverError().toResponse();
        case "rate_limited":
          return PlaneErrors.rateLimited(retryAfterSeconds(60_000, ctx.timeScale)).toResponse();
        case "expired_token":
          return PlaneErrors.invalidToken().toResponse();
      }
    },
    renderWebhook: (change, registration) => renderPlaneWebhook(store, change, registration),
    rateLimitStatus: () => throttle.status(),
    resetRateLimits: () => throttle.reset(),
  };
}
