/** Test support: one Plane emulator on 127.0.0.1 (port 0) over generated truth, and a small client. */
import { request } from "undici";
import { createSandboxContext, type KitContext } from "../kit/context.js";
import type { FaultInjector } from "../kit/faults.js";
import { startPlatformServer } from "../kit/server.js";
import { generateTruth } from "../truth/generate.js";
import type { TruthItem } from "../truth/model.js";
import { createPlaneDialect, type PlaneDialect } from "./index.js";

export const TEST_API_KEY = "plane_api_0123456789abcdef0123456789abcdef";

export interface PlaneSandbox {
  /** Base URL including `/api/v1`. */
  url: string;
  origin: string;
  ctx: KitContext;
  dialect: PlaneDialect;
  faults: FaultInjector;
  slug: string;
  projectId: string;
  call(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string> }): Promise<PlaneAnswer>;
  close(): Promise<void>;
}

export interface PlaneAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

export interface PlaneSandboxOptions {
  seed?: number;
  itemsPerPlatform?: number;
  timeScale?: number;
  rateLimitPerMinute?: number;
  userKey?: string;
}

export async function startPlaneSandbox(options: PlaneSandboxOptions = {}): Promise<PlaneSandbox> {
  const truth = generateTruth({ seed: options.seed ?? 7, itemsPerPlatform: options.itemsPerPlatform ?? 80 });
  const ctx = createSandboxContext({ truth, timeScale: options.timeScale ?? 1 });
  const dialect = createPlaneDialect(ctx, {
    apiKey: TEST_API_KEY,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
    ...(options.userKey ? { userKey: options.userKey } : {}),
  });
  const server = await startPlatformServer(dialect, ctx, { port: 0 });
  const origin = new URL(server.url).origin;
  return {
    url: server.url,
    origin,
    ctx,
    dialect,
    faults: server.faults,
    slug: truth.plane.workspaceSlug,
    projectId: truth.plane.projects[0]!.id,
    async call(method, path, init = {}) {
      const headers: Record<string, string> = { "X-API-Key": TEST_API_KEY, ...init.headers };
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
        headers["content-type"] = "application/json";
      }
      const res = await request(`${origin}${path}`, { method: method as "GET", headers, body });
      const text = await res.body.text();
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, headers: res.headers as Record<string, string>, text, json };
    },
    close: () => server.close(),
  };
}

/** The project's live, non-draft work items, newest first, ties in creation order: Plane's default list order. */
export function expectedDefaultOrder(items: TruthItem[], projectId: string): TruthItem[] {
  const live = items.filter((i) => i.container === projectId && i.deletedAt === null);
  return live.map((item, index) => ({ item, index })).sort((a, b) => b.item.createdAt - a.item.createdAt || a.index - b.index).map((e) => e.item);
}
