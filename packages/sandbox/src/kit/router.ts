/**
 * Matches "METHOD path" against the dialect's route patterns. Segments are compared exactly,
 * including an empty trailing one, so Plane's trailing slashes are significant as in Django.
 */
import type { Route } from "./types.js";

interface CompiledRoute {
  route: Route;
  segments: string[]; // literal text, or ":name" for a parameter
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly byMethod = new Map<string, CompiledRoute[]>();

  constructor(routes: readonly Route[]) {
    for (const route of routes) {
      const list = this.byMethod.get(route.method) ?? [];
      list.push({ route, segments: route.pattern.split("/").slice(1) });
      this.byMethod.set(route.method, list);
    }
  }

  /** First route (in declaration order) whose pattern matches; literal routes should be declared before parametrised twins. */
  match(method: string, path: string): RouteMatch | null {
    const candidates = this.byMethod.get(method);
    if (!candidates) return null;
    const parts = path.split("/").slice(1);
    for (const c of candidates) {
      const params = matchSegments(c.segments, parts);
      if (params) return { route: c.route, params };
    }
    return null;
  }
}

/**
 * The route's parameters, or null when the path is not this route's. The literal segments are
 * compared first: most candidates fail on one, and decoding the parameters before that cost the
 * sandbox ~25 µs a request against Plane's many `workspaces/:slug/projects/:project_id/…` routes.
 */
function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.charCodeAt(0) !== COLON && p !== parts[i]) return null;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.charCodeAt(0) !== COLON) continue;
    const v = parts[i]!;
    if (v === "") return null;
    try {
      params[p.slice(1)] = decodeURIComponent(v);
    } catch {
      return null; // malformed %-escape: no route matches, the client gets the platform's 404
    }
  }
  return params;
}

const COLON = 0x3a;
