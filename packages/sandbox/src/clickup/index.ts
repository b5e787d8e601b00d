/**
 * The ClickUp API v2 emulator (issue #3 §1): `createClickUpDialect(ctx, options)` gives the kit
 * routes under `/api/v2`, personal-token authentication, ClickUp's error bodies, its per-token
 * rate limit with `X-RateLimit-*` headers on every answer, and webhook rendering with `X-Signature`.
 */
import { BadJsonError } from "../kit/errors.js";
import type { PlatformDialect, Route, SandboxContext, SandboxRequest, SandboxResponse } from "../kit/types.js";
import { CustomFieldCatalog } from "./custom-fields.js";
import type { ClickUpEnv } from "./env.js";
import { ClickUpApiError, ClickUpErrors, clickUpError, routeNotFound } from "./errors.js";
import { ClickUpRateLimit, DEFAULT_REQUESTS_PER_MINUTE } from "./rate-limit.js";
import { commentRoutes } from "./routes-comments.js";
import { fieldRoutes } from "./routes-fields.js";
import { hierarchyRoutes } from "./routes-hierarchy.js";
import { taskRoutes } from "./routes-tasks.js";
import { timeRoutes } from "./routes-time.js";
import { timeInStatusRoutes } from "./routes-time-in-status.js";
import { webhookRoutes } from "./routes-webhooks.js";
import { ClickUpStore } from "./store.js";
import { renderClickUpWebhook } from "./webhook-view.js";

export { CLICKUP_SIGNATURE_HEADER, signClickUpWebhook, verifyClickUpWebhook } from "./signature.js";
export { ClickUpErrors } from "./errors.js";
export { DEFAULT_REQUESTS_PER_MINUTE } from "./rate-limit.js";
export { TASKS_PER_PAGE } from "./filters.js";
export { COMMENTS_PER_PAGE } from "./routes-comments.js";
export { CLICKUP_WEBHOOK_EVENTS } from "./routes-webhooks.js";
export { MAX_BULK_TIME_IN_STATUS_IDS } from "./routes-time-in-status.js";

export const CLICKUP_PREFIX = "/api/v2";

export interface ClickUpDialectOptions {
  /** The personal token the emulator accepts, sent as `Authorization: pk_...` (no "Bearer"). */
  token: string;
  /** Person.key of the token's owner. @default the truth's first person */
  user?: string;
  /** Requests per minute per token. @default DEFAULT_REQUESTS_PER_MINUTE (100, ClickUp's Free/Unlimited/Business plans) */
  requestsPerMinute?: number;
  /** Real clock behind the announced `X-RateLimit-Reset`. @default Date.now */
  realNow?: () => number;
  /** Whether the workspace has the "Total time in Status" ClickApp on (off: its endpoints answer 403 TIS_027). @default true */
  timeInStatus?: boolean;
}

function withHeaders(res: SandboxResponse, headers: Record<string, string>): SandboxResponse {
  return { ...res, headers: { ...res.headers, ...headers } };
}

function tokenOf(req: SandboxRequest): string {
  const h = req.headers.authorization;
  return (Array.isArray(h) ? h[0] : h)?.trim() ?? "";
}

export function createClickUpDialect(ctx: SandboxContext, options: ClickUpDialectOptions): PlatformDialect {
  const actingUser = options.user ?? ctx.truth.people[0]?.key;
  if (!actingUser || !ctx.truth.people.some((p) => p.key === actingUser)) throw new RangeError(`unknown ClickUp token owner ${String(options.user)}`);
  const store = new ClickUpStore(ctx);
  // Fields predate every task, so their date_created never postdates a value.
  const fieldsCreatedAt = ctx.truth.items.clickup[0]?.createdAt ?? ctx.truth.now;
  const env: ClickUpEnv = { ctx, store, fields: new CustomFieldCatalog(ctx.truth.clickup.customFields, fieldsCreatedAt), actingUser };
  const limiter = new ClickUpRateLimit(ctx, options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE, options.realNow);

  /** Every answer spends quota and carries the X-RateLimit-* headers; handler errors become ClickUp error bodies. */
  const metered = (route: Route): Route => ({
    ...route,
    handler: async (req) => {
      const quota = limiter.take(tokenOf(req));
      const headers = limiter.headers(quota);
      if (!quota.allowed) return withHeaders(clickUpError(ClickUpErrors.rateLimited), headers);
      try {
        return withHeaders(await route.handler(req), headers);
      } catch (err) {
        if (err instanceof ClickUpApiError) return withHeaders(err.toResponse(), headers);
        if (err instanceof BadJsonError) return withHeaders(clickUpError(ClickUpErrors.badJson), headers);
        throw err;
      }
    },
  });

  const routes = [
    ...hierarchyRoutes(env),
    ...taskRoutes(env),
    ...commentRoutes(env),
    ...fieldRoutes(env),
    ...timeRoutes(env),
    ...timeInStatusRoutes(env, { enabled: options.timeInStatus ?? true }),
    ...webhookRoutes(env, options.token),
  ].map(metered);

  return {
    platform: "clickup",
    prefix: CLICKUP_PREFIX,
    routes,
    authenticate(req) {
      const token = tokenOf(req);
      if (token === "") return clickUpError(ClickUpErrors.missingToken);
      return token === options.token ? null : clickUpError(ClickUpErrors.invalidToken);
    },
    errorResponse(kind, req) {
      const quota = limiter.peek(tokenOf(req));
      switch (kind) {
        case "not_found":
          return withHeaders(routeNotFound(req.method, req.url.pathname), limiter.headers(quota));
        case "bad_json":
          return withHeaders(clickUpError(ClickUpErrors.badJson), limiter.headers(quota));
        case "server_error":
          return clickUpError(ClickUpErrors.serverError);
        case "rate_limited":
          return withHeaders(clickUpError(ClickUpErrors.rateLimited), limiter.headers({ ...quota, remaining: 0 }));
        case "expired_token":
          // A revoked personal token answers like any token ClickUp does not know.
          return clickUpError(ClickUpErrors.invalidToken);
      }
    },
    renderWebhook: (change, registration) => renderClickUpWebhook(store, change, registration),
    rateLimitStatus: () => ({ limit: limiter.limit, token: limiter.peek(options.token) }),
  };
}
