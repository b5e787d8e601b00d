/**
 * What every GitHub response goes through, around the route handlers: credentials, primary and
 * secondary limits, repository visibility, conditional requests, and the headers GitHub puts on
 * every answer. Order matters and follows GitHub's documented behaviour:
 *   bad token → 401; exhausted quota → 403/429 (remaining 0); too many writes → 403 + retry-after;
 *   unknown or hidden repo → 404; If-None-Match hit → 304 without spending quota; else spend 1.
 */
import type { Route, SandboxRequest, SandboxResponse, SandboxContext } from "../kit/types.js";
import type { Person } from "../truth/model.js";
import { selectedApiVersion, unsupportedApiVersion } from "./api-version.js";
import { type Caller, identifyCaller, quotaIdentity } from "./auth.js";
import { RepoCatalog } from "./catalog.js";
import { entityTag, matchesIfNoneMatch } from "./conditional.js";
import { DOCS, GitHubHttpError, JSON_CONTENT_TYPE, badCredentials, githubError, notFound, problemsParsingJson } from "./errors.js";
import { type Links, linksFor } from "./links.js";
import { type GitHubQuota, type QuotaSnapshot, rateLimitHeaders } from "./rate-limit.js";
import type { GitHubIndex, RepoRecord } from "./repo-index.js";

/** "free" endpoints (GET /rate_limit) never spend quota; "create" ones also count toward the secondary limit. */
export type Cost = "read" | "write" | "create" | "free";

export interface RequestScope {
  links: Links;
  prefix: string; // mount prefix, "" or "/api/v3"

  /** The token's owner; null for anonymous callers. */
  viewer: Person | null;
  now: number;
  quota: QuotaSnapshot;
}

export interface RepoScope extends RequestScope {
  viewer: Person;
  repo: RepoRecord;
  catalog: RepoCatalog;
}

interface RouteBase {
  method: Route["method"];
  /** Path below the mount prefix; for repo routes, below "/repos/:owner/:repo" (e.g. "/issues"). */
  path: string;
  cost: Cost;
}

export type GitHubRoute =
  | (RouteBase & { repo: true; handle(req: SandboxRequest, scope: RepoScope): SandboxResponse })
  | (RouteBase & { repo: false; handle(req: SandboxRequest, scope: RequestScope): SandboxResponse });

export interface PipelineDeps {
  ctx: SandboxContext;
  index: GitHubIndex;
  prefix: string;
  token: string;
  exhaustedStatus: 403 | 429;
  viewerKey: string | undefined;
  quota: GitHubQuota;
  /** Remembers the address clients use, for links inside webhook payloads. */
  onLinks(links: Links): void;
}

/** Headers GitHub sends on every API answer (besides the rate-limit ones). */
const STANDARD_HEADERS: Record<string, string> = {
  "x-github-media-type": "github.v3; format=json",
  "access-control-allow-origin": "*",
  "access-control-expose-headers":
    "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset",
  "x-content-type-options": "nosniff",
};

export class GitHubPipeline {
  private requestCount = 0;

  constructor(private readonly deps: PipelineDeps) {}

  /** GitHub tags every answer with a request id (octokit logs it); a counter keeps ours deterministic. */
  private requestId(): string {
    const n = ++this.requestCount;
    const hex = (value: number, width: number) => value.toString(16).toUpperCase().padStart(width, "0");
    return `${hex(n % 0x10000, 4)}:${hex(n, 6)}:${hex(n * 7, 7)}:${hex(n * 13, 7)}:${hex(n * 31, 8)}`;
  }

  quota(caller: Caller, spend: boolean): QuotaSnapshot {
    const identity = quotaIdentity(caller);
    return spend ? this.deps.quota.spend(identity) : this.deps.quota.peek(identity);
  }

  /** Adds GitHub's standard and rate-limit headers to any response. */
  decorate(response: SandboxResponse, quota: QuotaSnapshot): SandboxResponse {
    return { ...response, headers: { ...STANDARD_HEADERS, "x-github-request-id": this.requestId(), ...rateLimitHeaders(quota), ...response.headers } };
  }

  /** 401 for a token GitHub does not know; failed logins count against the anonymous bucket. */
  rejectBadCredentials(req: SandboxRequest): SandboxResponse | null {
    const caller = identifyCaller(req.headers, this.deps.token);
    if (caller.kind !== "invalid") return null;
    return this.decorate(badCredentials(), this.quota(caller, true));
  }

  primaryExhausted(caller: Caller, quota: QuotaSnapshot): SandboxResponse {
    const who = caller.kind === "token" ? `for user ID ${this.viewer()?.githubId ?? 1}.` : "for 127.0.0.1.";
    const zero = { ...quota, remaining: 0, used: Math.max(quota.used, quota.limit) };
    return this.decorate(githubError(this.deps.exhaustedStatus, `API rate limit exceeded ${who}`, DOCS.rateLimits), zero);
  }

  private secondaryExceeded(retryAfter: number, quota: QuotaSnapshot): SandboxResponse {
    const message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
    return this.decorate(githubError(403, message, DOCS.secondaryLimits, { "retry-after": String(retryAfter) }), quota);
  }

  private viewer(): Person | null {
    const people = this.deps.index.truthNow.people;
    return (this.deps.viewerKey ? this.deps.index.person(this.deps.viewerKey) : people[0]) ?? null;
  }

  private resolveRepo(req: SandboxRequest): RepoRecord | undefined {
    const { index } = this.deps;
    if (req.params.repository_id !== undefined) return index.repoById(Number(req.params.repository_id));
    return index.repo(req.params.owner ?? "", req.params.repo ?? "");
  }

  private invoke(route: GitHubRoute, req: SandboxRequest, caller: Caller, quota: QuotaSnapshot): SandboxResponse {
    const links = linksFor(req.url, this.deps.prefix);
    this.deps.onLinks(links);
    const viewer = caller.kind === "token" ? this.viewer() : null;
    const base: RequestScope = { links, prefix: this.deps.prefix, viewer, now: this.deps.ctx.now(), quota };
    if (!route.repo) return route.handle(req, base);
    const repo = this.resolveRepo(req);
    // Private repositories are indistinguishable from missing ones without valid credentials.
    if (!repo || !viewer) return notFound();
    return route.handle(req, { ...base, viewer, repo, catalog: new RepoCatalog(links, repo, this.deps.index, base.now) });
  }

  private safeInvoke(route: GitHubRoute, req: SandboxRequest, caller: Caller, quota: QuotaSnapshot): SandboxResponse {
    try {
      return this.invoke(route, req, caller, quota);
    } catch (error) {
      if (error instanceof GitHubHttpError) return error.response;
      // The kit's req.json() throws its BadJsonError; matched by name so this module needs no kit internals.
      if (error instanceof Error && error.name === "BadJsonError") return problemsParsingJson();
      throw error;
    }
  }

  /** Refuses before any work when the caller is out of quota (primary) or creating too fast (secondary). */
  private refuse(route: GitHubRoute, caller: Caller, quota: QuotaSnapshot): SandboxResponse | null {
    if (route.cost !== "free" && quota.remaining === 0) return this.primaryExhausted(caller, quota);
    if (route.cost !== "create") return null;
    const retryAfter = this.deps.quota.admitContentCreation(quotaIdentity(caller));
    return retryAfter === null ? null : this.secondaryExceeded(retryAfter, quota);
  }

  handle(route: GitHubRoute, req: SandboxRequest): SandboxResponse {
    const rejected = this.rejectBadCredentials(req);
    if (rejected) return rejected;
    const caller = identifyCaller(req.headers, this.deps.token);
    const before = this.quota(caller, false);
    const refused = this.refuse(route, caller, before);
    if (refused) return refused;
    const badVersion = unsupportedApiVersion(req.headers);
    if (badVersion) return this.decorate(badVersion, this.quota(caller, route.cost !== "free"));

    const response = this.safeInvoke(route, req, caller, before);
    // Serialised here, once: the ETag is a hash of exactly the bytes sent.
    const body = response.body === undefined || typeof response.body === "string" || Buffer.isBuffer(response.body) ? response.body : JSON.stringify(response.body);
    const headers: Record<string, string> = { "x-github-api-version-selected": selectedApiVersion(req.headers), ...response.headers };
    if (body !== undefined && headers["content-type"] === undefined) headers["content-type"] = JSON_CONTENT_TYPE;
    if (req.method === "GET" && response.status === 200 && typeof body === "string") {
      const cacheHeaders = { etag: entityTag(body, quotaIdentity(caller)), "cache-control": "private, max-age=60, s-maxage=60", vary: "Accept, Authorization, Cookie, X-GitHub-OTP" };
      if (matchesIfNoneMatch(req.headers, cacheHeaders.etag)) return this.decorate({ status: 304, headers: cacheHeaders }, before);
      Object.assign(headers, cacheHeaders);
    }
    const after = route.cost === "free" ? before : this.quota(caller, true);
    return this.decorate({ status: response.status, headers, body }, after);
  }

  /** Both spellings GitHub serves a repository route under; links point at the second. */
  static patternsOf(route: GitHubRoute): string[] {
    return route.repo ? [`/repos/:owner/:repo${route.path}`, `/repositories/:repository_id${route.path}`] : [route.path];
  }

  toRoutes(routes: readonly GitHubRoute[]): Route[] {
    return routes.flatMap((route) =>
      GitHubPipeline.patternsOf(route).map((pattern) => ({ method: route.method, pattern, handler: (req: SandboxRequest) => this.handle(route, req) })),
    );
  }
}
