import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** One Prometheus registry per service, with the job metrics every worker reports. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly jobsTotal: Counter<"agent" | "op" | "outcome">;
  readonly jobDuration: Histogram<"agent" | "op">;
  readonly jobsInFlight: Gauge<"agent">;
  readonly deadLetters: Counter<"agent" | "op">;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.jobsTotal = new Counter({ name: "pmo_jobs_total", help: "Jobs handled, by outcome (ok, failed, duplicate, expired, dead_letter, malformed)", labelNames: ["agent", "op", "outcome"], registers: [this.registry] });
    this.jobDuration = new Histogram({ name: "pmo_job_duration_seconds", help: "Job handler duration", labelNames: ["agent", "op"], buckets: [0.005, 0.02, 0.1, 0.5, 1, 5, 15, 60, 300], registers: [this.registry] });
    this.jobsInFlight = new Gauge({ name: "pmo_jobs_in_flight", help: "Jobs being handled now", labelNames: ["agent"], registers: [this.registry] });
    this.deadLetters = new Counter({ name: "pmo_dead_letters_total", help: "Jobs given up after max deliveries", labelNames: ["agent", "op"], registers: [this.registry] });
  }
}
