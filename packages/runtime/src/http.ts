import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServiceMetrics } from "./metrics.js";

export type HealthCheck = () => { ok: boolean; detail?: Record<string, unknown> };

/** A handler for an extra path on the service's HTTP port (webhooks): one port per container. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** `/healthz` (200 when every check passes, 503 otherwise) and `/metrics` (Prometheus text). */
export class HealthServer {
  private server: Server | null = null;
  private readonly checks = new Map<string, HealthCheck>();
  private readonly routes = new Map<string, HttpRoute>();

  constructor(
    private readonly service: string,
    private readonly metrics: ServiceMetrics,
  ) {}

  addCheck(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  /** Serves `path` (exact match, any method) with `route`; the route answers methods itself. */
  addRoute(path: string, route: HttpRoute): void {
    this.routes.set(path, route);
  }

  report(): { ok: boolean; body: Record<string, unknown> } {
    const checks: Record<string, unknown> = {};
    let ok = true;
    for (const [name, check] of this.checks) {
      const r = check();
      ok &&= r.ok;
      checks[name] = { ok: r.ok, ...r.detail };
    }
    return { ok, body: { service: this.service, status: ok ? "ok" : "unhealthy", checks } };
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/healthz") {
        const { ok, body } = this.report();
        res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(body));
      } else if (path === "/metrics") {
        this.metrics.registry.metrics().then(
          (text) => res.writeHead(200, { "content-type": this.metrics.registry.contentType }).end(text),
          (err: Error) => res.writeHead(500).end(err.message),
        );
      } else if (this.routes.has(path!)) {
        Promise.resolve(this.routes.get(path!)!(req, res)).catch(() => {
          if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "internal error" }));
        });
      } else {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
      }
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, () => resolve());
    });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
