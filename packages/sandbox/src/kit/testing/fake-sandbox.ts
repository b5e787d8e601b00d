/** Starts the fake dialect on the real kit server over a small generated truth, for the kit's tests. */
import { generateTruth } from "../../truth/generate.js";
import { createSandboxContext, type KitContext } from "../context.js";
import { startPlatformServer, type PlatformServer, type PlatformServerOptions } from "../server.js";
import { createFakeDialect, FAKE_TOKEN } from "./fake-dialect.js";

export interface FakeSandbox {
  ctx: KitContext;
  server: PlatformServer;
  /** fetch below the dialect prefix with the good token unless headers say otherwise. */
  call(path: string, init?: RequestInit): Promise<Response>;
  /** fetch a control endpoint ("/_sandbox/..."). */
  control(path: string, init?: RequestInit): Promise<Response>;
}

export async function startFakeSandbox(options: Omit<PlatformServerOptions, "port"> & { timeScale?: number } = {}): Promise<FakeSandbox> {
  const ctx = createSandboxContext({ truth: generateTruth({ seed: 7, itemsPerPlatform: 20 }), timeScale: options.timeScale ?? 1, webhooks: { retryDelayMs: 5 } });
  const server = await startPlatformServer(createFakeDialect(ctx), ctx, { ...options, port: 0 });
  const origin = new URL(server.url).origin;
  return {
    ctx,
    server,
    call: (path, init = {}) => fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${FAKE_TOKEN}`, ...(init.headers as Record<string, string>) } }),
    control: (path, init = {}) => fetch(`${origin}${path}`, { ...init, headers: { "content-type": "application/json", ...(init.headers as Record<string, string>) } }),
  };
}

/** The JSON body of a response, loosely typed for assertions (`Response.json()` is `unknown`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readJson(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}
