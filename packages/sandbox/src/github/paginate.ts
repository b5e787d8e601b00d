/**
 * Page-number pagination as GitHub does it: `per_page` (default 30, max 100), `page` (from 1), a
 * bare JSON array, and a `link` header in GitHub's exact shape and rel order
 * (`prev, next, last, first`; only those that apply; none when one page holds everything).
 * Link URLs keep every other query parameter as the client wrote it and, for repository routes,
 * switch to `/repositories/{id}/…` as api.github.com does (recorded in octokit/fixtures paginate-issues).
 */
import type { SandboxRequest } from "../kit/types.js";

export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

export interface PageWindow {
  perPage: number;
  page: number;
}

/** Out-of-range or non-numeric values fall back the way GitHub does: too large → 100, junk → default. */
export function pageWindow(query: URLSearchParams): PageWindow {
  const perPageRaw = Number.parseInt(query.get("per_page") ?? "", 10);
  const pageRaw = Number.parseInt(query.get("page") ?? "", 10);
  const perPage = Number.isFinite(perPageRaw) && perPageRaw > 0 ? Math.min(perPageRaw, MAX_PER_PAGE) : DEFAULT_PER_PAGE;
  const page = Number.isFinite(pageRaw) && pageRaw > 0 ? pageRaw : 1;
  return { perPage, page };
}

/** Replace or append `page=` in a raw query string without re-encoding the other parameters. */
function withPage(search: string, page: number): string {
  const parts = search.replace(/^\?/, "").split("&").filter((p) => p !== "");
  let replaced = false;
  const next = parts.map((p) => {
    if (p.split("=")[0] !== "page") return p;
    replaced = true;
    return `page=${page}`;
  });
  if (!replaced) next.push(`page=${page}`);
  return `?${next.join("&")}`;
}

/**
 * The URL links point at: the request URL, with `/repos/{owner}/{repo}` (or `/repositories/{id}`)
 * rewritten to `/repositories/{repoId}` when the route is repository-scoped.
 */
export function linkTarget(req: SandboxRequest, prefix: string, repoId?: number): URL {
  const target = new URL(req.url.href);
  if (repoId !== undefined) {
    const segments = req.path.split("/");
    const tail = segments.slice(segments[1] === "repositories" ? 3 : 4).join("/");
    target.pathname = `${prefix}/repositories/${repoId}${tail ? `/${tail}` : ""}`;
  }
  return target;
}

export function linkHeader(target: URL, window: PageWindow, total: number): string | null {
  const last = Math.max(1, Math.ceil(total / window.perPage));
  const { page } = window;
  if (page === 1 && last === 1) return null;
  const url = (n: number) => `<${target.origin}${target.pathname}${withPage(target.search, n)}>`;
  const rels: string[] = [];
  if (page > 1) rels.push(`${url(page - 1)}; rel="prev"`);
  if (page < last) rels.push(`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`);
  if (page > 1) rels.push(`${url(1)}; rel="first"`);
  return rels.join(", ");
}

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

export function paginate<T>(all: readonly T[], window: PageWindow, target: URL): Page<T> {
  const start = (window.page - 1) * window.perPage;
  const link = linkHeader(target, window, all.length);
  return { items: all.slice(start, start + window.perPage), headers: link ? { link } : {} };
}
