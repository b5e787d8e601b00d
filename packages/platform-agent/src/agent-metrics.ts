import { Counter, Gauge, type Registry } from "prom-client";

/** What every platform agent reports about its API use (issue #4 §5). */
export class AgentMetrics {
  private readonly requests: Counter<"platform" | "endpoint" | "status">;
  private readonly retries: Counter<"platform" | "reason">;
  private readonly remaining: Gauge<"platform">;

  constructor(
    private readonly platform: string,
    registry: Registry,
  ) {
    this.requests = new Counter({ name: "pmo_platform_requests_total", help: "Requests to the platform API, by endpoint pattern and status", labelNames: ["platform", "endpoint", "status"], registers: [registry] });
    this.retries = new Counter({ name: "pmo_platform_retries_total", help: "Retried platform requests, by reason", labelNames: ["platform", "reason"], registers: [registry] });
    this.remaining = new Gauge({ name: "pmo_platform_quota_remaining", help: "Requests left in the platform's current rate-limit window, as it last said", labelNames: ["platform"], registers: [registry] });
  }

  /** `endpoint` is a pattern ("GET /repos/:owner/:repo/issues"), never a concrete URL: label cardinality stays small. */
  request(endpoint: string, status: number | "error"): void {
    this.requests.inc({ platform: this.platform, endpoint, status: String(status) });
  }

  retry(reason: string): void {
    this.retries.inc({ platform: this.platform, reason });
  }

  quota(remaining: number): void {
    this.remaining.set({ platform: this.platform }, remaining);
  }
}
