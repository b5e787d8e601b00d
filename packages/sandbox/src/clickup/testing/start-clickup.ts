/** Starts the ClickUp emulator on the real kit server over a generated truth, for this folder's tests. */
import { createSandboxContext, type KitContext } from "../../kit/context.js";
import { startPlatformServer, type PlatformServer } from "../../kit/server.js";
import { generateTruth } from "../../truth/generate.js";
import type { TruthItem } from "../../truth/model.js";
import { createClickUpDialect } from "../index.js";

export const TEST_TOKEN = "pk_4200001_SANDBOXTESTTOKEN";

export interface ClickUpSandbox {
  ctx: KitContext;
  server: PlatformServer;
  /** fetch below /api/v2 with the good token unless `init.headers` say otherwise. */
  call(path: string, init?: RequestInit): Promise<Response>;
  /** JSON body of a 2xx call (throws with the body otherwise). */
  json<T = Record<string, unknown>>(path: string, init?: RequestInit): Promise<T>;
  close(): Promise<void>;
}

export interface StartOptions {
  seed?: number;
  items?: number;
  timeScale?: number;
  /** @default 1,000,000 so that tests other than the rate-limit ones never hit 429; "default" = the dialect's own default */
  requestsPerMinute?: number | "default";
  /** The "Total time in Status" ClickApp. @default true */
  timeInStatus?: boolean;
}

export async function startClickUp(o: StartOptions = {}): Promise<ClickUpSandbox> {
  const ctx = createSandboxContext({ truth: generateTruth({ seed: o.seed ?? 11, itemsPerPlatform: o.items ?? 60 }), timeScale: o.timeScale ?? 1, webhooks: { retryDelayMs: 5 } });
  const perMinute = o.requestsPerMinute ?? 1_000_000;
  const dialect = createClickUpDialect(ctx, { token: TEST_TOKEN, timeInStatus: o.timeInStatus, ...(perMinute === "default" ? {} : { requestsPerMinute: perMinute }) });
  const server = await startPlatformServer(dialect, ctx, { port: 0 });
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { authorization: TEST_TOKEN, "content-type": "application/json", ...(init.headers as Record<string, string>) } });
  return {
    ctx,
    server,
    call,
    async json<T>(path: string, init?: RequestInit): Promise<T> {
      const res = await call(path, init);
      const text = await res.text();
      if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${path} → ${res.status} ${text}`);
      return JSON.parse(text) as T;
    },
    close: () => server.close(),
  };
}

/** Live items in creation order: the truth's own order, what the emulator's default ordering must follow. */
export function liveItems(ctx: KitContext): TruthItem[] {
  return ctx.truth.items.clickup.filter((i) => i.deletedAt === null);
}

export function isClosed(item: TruthItem): boolean {
  return item.status === "done" || item.status === "cancelled";
}

/** Every page of a task listing, following `page` until `last_page`. */
export async function allPages(sb: ClickUpSandbox, path: string): Promise<{ ids: string[]; pages: { count: number; last: boolean }[] }> {
  const ids: string[] = [];
  const pages: { count: number; last: boolean }[] = [];
  for (let page = 0; page < 10_000; page++) {
    const sep = path.includes("?") ? "&" : "?";
    const body = await sb.json<{ tasks: { id: string }[]; last_page: boolean }>(`${path}${sep}page=${page}`);
    ids.push(...body.tasks.map((t) => t.id));
    pages.push({ count: body.tasks.length, last: body.last_page });
    if (body.last_page) break;
  }
  return { ids, pages };
}
