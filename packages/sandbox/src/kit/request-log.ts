/** What each emulator was asked and how it answered: a bounded log plus per-endpoint counters. */

export interface RequestLogEntry {
  seq: number;
  /** Sandbox clock at arrival (epoch ms). */
  at: number;
  method: string;
  /** Path and query as the client sent them. */
  url: string;
  /** Route pattern that matched, or "(unmatched)". */
  pattern: string;
  /** 0 when the connection was reset by a fault. */
  status: number;
  durationMs: number;
  fault: string | null;
}

export interface EndpointCounter {
  requests: number;
  byStatus: Record<string, number>;
}

export interface RequestCounters {
  total: number;
  /** Keyed by "METHOD pattern", e.g. "GET /repos/:owner/:repo/issues". */
  endpoints: Record<string, EndpointCounter>;
  byStatus: Record<string, number>;
}

/**
 * @default capacity 10,000 entries: enough for a test's or a demo's story, bounded for benchmarks
 * that send hundreds of thousands of requests (counters stay exact).
 */
export const DEFAULT_LOG_CAPACITY = 10_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private start = 0; // ring start once full
  private seq = 0;
  private counters: RequestCounters = { total: 0, endpoints: {}, byStatus: {} };

  constructor(private readonly capacity = DEFAULT_LOG_CAPACITY) {}

  record(entry: Omit<RequestLogEntry, "seq">): void {
    const full = { seq: ++this.seq, ...entry };
    if (this.entries.length < this.capacity) this.entries.push(full);
    else {
      this.entries[this.start] = full;
      this.start = (this.start + 1) % this.capacity;
    }
    const key = `${entry.method} ${entry.pattern}`;
    const endpoint = (this.counters.endpoints[key] ??= { requests: 0, byStatus: {} });
    const status = String(entry.status);
    endpoint.requests++;
    endpoint.byStatus[status] = (endpoint.byStatus[status] ?? 0) + 1;
    this.counters.total++;
    this.counters.byStatus[status] = (this.counters.byStatus[status] ?? 0) + 1;
  }

  /** Entries oldest first; `limit` keeps the newest ones. */
  list(limit = this.capacity): RequestLogEntry[] {
    const ordered = [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
    return ordered.slice(Math.max(0, ordered.length - limit));
  }

  snapshot(): RequestCounters {
    return structuredClone(this.counters);
  }

  clear(): void {
    this.entries = [];
    this.start = 0;
    this.seq = 0;
    this.counters = { total: 0, endpoints: {}, byStatus: {} };
  }
}
