/**
 * One emulator on node:http: routing below the dialect's prefix, raw-body capture (webhook
 * signatures and JSON parsing need the exact bytes), a body size limit, fault injection, the
 * dialect's authentication before any handler, the request log, and the control API under
 * `/_sandbox/`. Every answer the kit itself makes speaks the platform's dialect.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Platform } from "../truth/model.js";
import { isKitContext } from "./context.js";
import { SandboxControl, CONTROL_PREFIX, type PlatformMonitor } from "./control.js";
import { BadJsonError, BodyTooLargeError } from "./errors.js";
import { DEFAULT_SLOW_DELAY_MS, FaultInjector, type ActiveFault } from "./faults.js";
import { RequestLog } from "./request-log.js";
import { Router } from "./router.js";
import type { PlatformDialect, SandboxContext, SandboxRequest, SandboxResponse } from "./types.js";

/** @default 5 MiB: far above any work-item write, small enough to refuse abuse. */
export const DEFAULT_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

export interface PlatformServerOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  bodyLimitBytes?: number;
  /** Shared control (startSandbox passes one for all three servers); a private one is created otherwise. */
  control?: SandboxControl;
}

export interface PlatformServer {
  url: string;
  close(): Promise<void>;
  platform: Platform;
  log: RequestLog;
  faults: FaultInjector;
  control: SandboxControl;
  /** Swaps the emulator (after a reset rebuilt it over fresh truth); in-flight requests finish on the old one. */
  setDialect(dialect: PlatformDialect): void;
}

export async function startPlatformServer(
  dialect: PlatformDialect,
  ctx: SandboxContext,
  opts: PlatformServerOptions = {},
): Promise<PlatformServer> {
  const host = opts.host ?? "127.0.0.1";
  const bodyLimit = opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const monitor: PlatformMonitor = {
    platform: dialect.platform,
    log: new RequestLog(),
    faults: new FaultInjector(ctx.truth.seed, dialect.platform),
    dialect,
  };
  let router = new Router(dialect.routes);
  const control = opts.control ?? new SandboxControl(ctx);
  control.attach(monitor);
  if (isKitContext(ctx)) ctx.dialects[dialect.platform] = dialect;

  const server = createServer((req, res) => {
    serve(req, res).catch((err: unknown) => {
      // Only a bug in the kit lands here; answer something rather than hang the client.
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err));
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const at = ctx.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? host}`);
    const current = monitor.dialect;
    let rawBody: Buffer;
    let tooLarge = false;
    try {
      rawBody = await readBody(req, bodyLimit);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      rawBody = Buffer.alloc(0);
      tooLarge = true;
    }
    const underPrefix = url.pathname === current.prefix || url.pathname.startsWith(`${current.prefix}/`);
    const path = underPrefix ? url.pathname.slice(current.prefix.length) || "/" : url.pathname;
    const sreq = buildRequest(method, path, url, req, rawBody);

    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      write(res, await control.handleHttp(sreq, monitor.platform));
      return;
    }

    const match = underPrefix ? router.match(method, path) : null;
    sreq.params = match?.params ?? {};
    const pattern = match?.route.pattern ?? "(unmatched)";
    const logEntry = (status: number, fault: ActiveFault | null) =>
      monitor.log.record({ at, method, url: `${url.pathname}${url.search}`, pattern, status, durationMs: performance.now() - started, fault: fault?.kind ?? null });

    const fault = monitor.faults.decide(`${method} ${path}`);
    if (fault?.kind === "reset") {
      logEntry(0, fault);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "slow") await sleep(fault.delayMs ?? DEFAULT_SLOW_DELAY_MS);

    let response: SandboxResponse;
    if (tooLarge) response = { ...current.errorResponse("bad_json", sreq), status: 413 };
    else if (fault?.kind === "rate_limit") response = withStatus(current.errorResponse("rate_limited", sreq), fault.status);
    else if (fault?.kind === "server_error") response = withStatus(current.errorResponse("server_error", sreq), fault.status);
    else if (fault?.kind === "expired_token") response = withStatus(current.errorResponse("expired_token", sreq), fault.status);
    else response = await answer(current, match?.route.handler ?? null, sreq);

    if (fault?.kind === "malformed") response = malformed(response, fault.status);
    logEntry(response.status, fault);
    write(res, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const base = `http://${urlHost}:${address.port}${dialect.prefix}`;

  return {
    url: base,
    platform: dialect.platform,
    log: monitor.log,
    faults: monitor.faults,
    control,
    setDialect(next) {
      monitor.dialect = next;
      router = new Router(next.routes);
      if (isKitContext(ctx)) ctx.dialects[next.platform] = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Authentication, then the handler (or the platform's 404); handler failures become the platform's 400/500. */
async function answer(dialect: PlatformDialect, handler: ((req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>) | null, req: SandboxRequest): Promise<SandboxResponse> {
  const denied = dialect.authenticate(req);
  if (denied) return denied;
  if (!handler) return dialect.errorResponse("not_found", req);
  try {
    return await handler(req);
  } catch (err) {
    if (err instanceof BadJsonError) return dialect.errorResponse("bad_json", req);
    console.error(`[sandbox:${dialect.platform}] ${req.method} ${req.path} failed:`, err);
    return dialect.errorResponse("server_error", req);
  }
}

function buildRequest(method: string, path: string, url: URL, req: IncomingMessage, rawBody: Buffer): SandboxRequest {
  let parsed: { value: unknown } | null = null;
  return {
    method,
    path,
    params: {},
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    url,
    json<T>(): T {
      if (!parsed) {
        try {
          parsed = { value: rawBody.length === 0 ? {} : JSON.parse(rawBody.toString("utf8")) };
        } catch (err) {
          throw new BadJsonError(err);
        }
      }
      return parsed.value as T;
    },
  };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      req.resume(); // drain, so the 413 can still be written on this connection
      req.once("end", () => reject(new BodyTooLargeError(limit)));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.once("end", () => (over ? reject(new BodyTooLargeError(limit)) : resolve(Buffer.concat(chunks))));
    req.once("error", reject);
  });
}

function serializeBody(body: unknown): Buffer | null {
  if (body === undefined) return null;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  return Buffer.from(JSON.stringify(body), "utf8");
}

function write(res: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  const noBody = response.status === 204 || response.status === 304;
  const body = noBody ? null : serializeBody(response.body);
  if (body && !hasHeader(headers, "content-type")) headers["content-type"] = "application/json; charset=utf-8";
  if (!noBody) headers["content-length"] = String(body?.length ?? 0);
  res.writeHead(response.status, headers);
  res.end(body ?? undefined);
}

/** The answer as a broken proxy would deliver it: 200, JSON cut in half (declared length matches what is sent). */
function malformed(response: SandboxResponse, status: number | undefined): SandboxResponse {
  const full = serializeBody(response.body) ?? Buffer.from('{"truncated":true}');
  const cut = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
  return { status: status ?? 200, headers: { ...response.headers, "content-type": "application/json; charset=utf-8" }, body: cut };
}

function withStatus(response: SandboxResponse, status: number | undefined): SandboxResponse {
  return status === undefined ? response : { ...response, status };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
