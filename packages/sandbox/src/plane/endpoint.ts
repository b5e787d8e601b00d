/**
 * How one Plane API view runs, in DRF's order: URL resolution (Django `<uuid:…>` converters) →
 * authentication (kit hook / `authenticate`) → permission class → throttle → the view → response
 * finalisation, which adds the rate-limit headers to every answer that passed the throttle.
 */
import { BadJsonError } from "../kit/errors.js";
import type { Handler, Route, SandboxRequest, SandboxResponse } from "../kit/types.js";
import { PlaneErrors, PlaneHttpError } from "./errors.js";
import type { ApiKeyThrottle } from "./rate-limit.js";
import type { PlaneStore } from "./store.js";
import { pythonJsonDumps } from "./python-json.js";
import { isUuid, PLANE_FLOAT_FIELDS } from "./wire-format.js";

export type HttpMethod = Route["method"];
export const HTTP_METHODS: readonly HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Which permission class guards the view (`plane.app.permissions`); "project_key" is
 * ProjectEntityPermission reached through a `{IDENTIFIER}-{sequence}` key instead of a project id. */
export type Permission = "authenticated" | "workspace" | "project" | "project_key";

/** Splits "WEB-12" as Django's `<str:project_identifier>-<str:issue_identifier>` does (at the last "-"). */
export function splitWorkItemKey(key: string): { identifier: string; sequence: string } | null {
  const at = key.lastIndexOf("-");
  return at > 0 && at < key.length - 1 ? { identifier: key.slice(0, at), sequence: key.slice(at + 1) } : null;
}

export interface PlaneRoute {
  method: HttpMethod;
  /** Below `/api/v1`, with Plane's trailing slash: "/workspaces/:slug/projects/:project_id/states/". */
  pattern: string;
  permission: Permission;
  handle(req: SandboxRequest): SandboxResponse;
}

/** Path parameters declared `<uuid:…>` in Plane's urls; anything else there is no URL match (404). */
const UUID_PARAMS = new Set(["project_id", "pk", "issue_id", "cycle_id", "module_id"]);

/** Whether Django's path converters would accept these values (else the URL does not resolve: 404). */
export const matchesDjangoConverters = (params: Record<string, string>): boolean =>
  Object.entries(params).every(([name, value]) =>
    UUID_PARAMS.has(name) ? isUuid(value) : name === "key" ? splitWorkItemKey(value) !== null : true,
  );

export interface EndpointDeps {
  store: PlaneStore;
  throttle: ApiKeyThrottle;
  authenticate(req: SandboxRequest): SandboxResponse | null;
}

/** Unknown workspace slug or project → the permission class refuses (403), before any throttle. */
function permits(store: PlaneStore, permission: Permission, params: Record<string, string>): boolean {
  if (permission === "authenticated") return true;
  if (params.slug !== store.layout.workspaceSlug) return false;
  if (permission === "workspace") return true;
  if (permission === "project_key") {
    const identifier = splitWorkItemKey(params.key ?? "")?.identifier;
    return store.layout.projects.some((p) => p.identifier === identifier);
  }
  return store.project(params.project_id ?? params.pk ?? "") !== undefined;
}

export function planeHandler(deps: EndpointDeps, permission: Permission, view: (req: SandboxRequest) => SandboxResponse): Handler {
  return (req) => {
    if (!matchesDjangoConverters(req.params)) return PlaneErrors.pageNotFound().toResponse();
    const refused = deps.authenticate(req);
    if (refused) return refused;
    if (!permits(deps.store, permission, req.params)) return PlaneErrors.permissionDenied().toResponse();
    const decision = deps.throttle.check(String(req.headers["x-api-key"]));
    if (!decision.allowed) return PlaneErrors.rateLimited(decision.retryAfterSeconds).toResponse();
    let response: SandboxResponse;
    try {
      response = view(req);
    } catch (caught) {
      // A malformed body is DRF's ParseError, raised inside the view: it still gets the rate headers.
      if (caught instanceof BadJsonError) response = PlaneErrors.badJson().toResponse();
      else if (caught instanceof PlaneHttpError) response = caught.toResponse();
      else throw caught;
    }
    return { ...response, body: drfBody(response.body), headers: { ...response.headers, ...decision.headers } };
  };
}

/**
 * DRF's JSONRenderer bytes: compact separators, non-ASCII kept, floats as Python writes them
 * (`"sort_order":65535.0`), and U+2028/U+2029 escaped as DRF does for JavaScript safety.
 */
function drfBody(body: unknown): unknown {
  if (body === undefined || typeof body === "string" || Buffer.isBuffer(body)) return body;
  return pythonJsonDumps(body, { compact: true, ensureAscii: false, floatKeys: PLANE_FLOAT_FIELDS })
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** DRF answers a method the view does not allow with 405 — after auth, permission and throttle. */
export function methodNotAllowedRoutes(deps: EndpointDeps, routes: readonly PlaneRoute[]): Route[] {
  const byPattern = new Map<string, PlaneRoute[]>();
  for (const route of routes) byPattern.set(route.pattern, [...(byPattern.get(route.pattern) ?? []), route]);
  return [...byPattern.values()].flatMap((group) =>
    HTTP_METHODS.filter((method) => !group.some((r) => r.method === method)).map((method) => ({
      method,
      pattern: group[0]!.pattern,
      handler: planeHandler(deps, group[0]!.permission, () => {
        throw PlaneErrors.methodNotAllowed(method);
      }),
    })),
  );
}

/**
 * Trailing slashes are required. Without one, Django's CommonMiddleware (APPEND_SLASH, DEBUG off)
 * answers 301 to the same path with "/" appended and the query string kept, for every method and
 * before any authentication — so a POST/PATCH sent without the slash is redirected (clients that
 * follow a 301 turn a POST into a GET), never silently served.
 */
export function appendSlashRoutes(patterns: readonly string[]): Route[] {
  return [...new Set(patterns)].flatMap((pattern) =>
    HTTP_METHODS.map((method) => ({
      method,
      pattern: pattern.slice(0, -1),
      handler: (req: SandboxRequest): SandboxResponse => {
        if (!matchesDjangoConverters(req.params)) return PlaneErrors.pageNotFound().toResponse();
        return {
          status: 301,
          headers: { Location: `${req.url.pathname}/${req.url.search}`, "Content-Type": "text/html; charset=utf-8" },
          body: "",
        };
      },
    })),
  );
}
