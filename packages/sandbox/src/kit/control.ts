/**
 * The sandbox's control surface, as a typed in-process handle. The same operations are served as
 * JSON under `/_sandbox/` on every emulator's port (control-http.ts), so a test in another process
 * can drive the sandbox too.
 */
import { serializeTruth } from "../truth/ground-truth.js";
import type { Platform, Truth } from "../truth/model.js";
import { isKitContext } from "./context.js";
import { handleControlRequest } from "./control-http.js";
import type { ActiveFault, FaultInjector } from "./faults.js";
import { ItemMutator, type MutationRequest } from "./mutation.js";
import type { RequestCounters, RequestLog, RequestLogEntry } from "./request-log.js";
import type { FaultKind, FaultRule, ItemChange, PlatformDialect, SandboxContext, SandboxRequest, SandboxResponse, WebhookRegistration } from "./types.js";
import type { DeliveryAttempt } from "./webhooks.js";

/** Where the control API is mounted on every emulator (outside any platform prefix). */
export const CONTROL_PREFIX = "/_sandbox/";

/** What the control sees of one running emulator. */
export interface PlatformMonitor {
  platform: Platform;
  log: RequestLog;
  faults: FaultInjector;
  dialect: PlatformDialect;
}

export interface PlatformCounters {
  requests: RequestCounters;
  faultsApplied: Partial<Record<FaultKind, number>>;
  /** The emulator's own rate-limit state (quota spent), when it reports one. */
  rateLimit: unknown;
}

export interface ControlHooks {
  /** Rebuilds truth and emulators (startSandbox supplies it); without it, reset only clears logs, faults, webhooks and the clock. */
  reset?: () => void | Promise<void>;
}

export class SandboxControl {
  private readonly monitors = new Map<Platform, PlatformMonitor>();
  private readonly mutator: ItemMutator;

  constructor(private readonly ctx: SandboxContext, private readonly hooks: ControlHooks = {}) {
    this.mutator = new ItemMutator(ctx, (p) => this.monitors.get(p)?.dialect);
  }

  /** Called by startPlatformServer for each emulator it serves. */
  attach(monitor: PlatformMonitor): void {
    this.monitors.set(monitor.platform, monitor);
  }

  platforms(): Platform[] {
    return [...this.monitors.keys()];
  }

  /** Request log, oldest first; `limit` keeps the newest. */
  requests(platform: Platform, limit?: number): RequestLogEntry[] {
    return this.monitor(platform).log.list(limit);
  }

  counters(): Partial<Record<Platform, PlatformCounters>> {
    const out: Partial<Record<Platform, PlatformCounters>> = {};
    for (const [platform, m] of this.monitors) {
      out[platform] = { requests: m.log.snapshot(), faultsApplied: m.faults.applied(), rateLimit: m.dialect.rateLimitStatus?.() ?? null };
    }
    return out;
  }

  addFault(platform: Platform, rule: FaultRule): ActiveFault {
    return this.monitor(platform).faults.add(rule);
  }

  faults(platform: Platform): ActiveFault[] {
    return this.monitor(platform).faults.list();
  }

  /** Removes one rule by id, or every rule of the platform (or of all platforms) when `id` is omitted. Returns how many went. */
  clearFaults(platform?: Platform, id?: string): number {
    const targets = platform ? [this.monitor(platform)] : [...this.monitors.values()];
    return targets.reduce((n, m) => n + m.faults.remove(id), 0);
  }

  /** Changes an item (status, fields, comment, deletion); emits the changes, which deliver webhooks. */
  mutate(request: MutationRequest): ItemChange[] {
    return this.mutator.apply(request);
  }

  registerWebhook(reg: Omit<WebhookRegistration, "id"> & { id?: string }): WebhookRegistration {
    return this.ctx.webhooks.register(reg);
  }

  webhooks(platform?: Platform): { registrations: WebhookRegistration[]; deliveries: DeliveryAttempt[] } {
    const registrations = platform ? this.ctx.webhooks.list(platform) : this.platforms().flatMap((p) => this.ctx.webhooks.list(p));
    const deliveries = isKitContext(this.ctx) ? this.ctx.hub.deliveries() : [];
    return { registrations, deliveries: platform ? deliveries.filter((d) => registrations.some((r) => r.id === d.registrationId)) : deliveries };
  }

  removeWebhook(id: string): boolean {
    return this.ctx.webhooks.remove(id);
  }

  /** Resolves when every queued webhook delivery has finished. */
  async webhooksIdle(): Promise<void> {
    if (isKitContext(this.ctx)) await this.ctx.hub.idle();
  }

  /** Moves the sandbox clock forward (rate windows expire, items go stale). */
  advanceClock(ms: number): number {
    if (!isKitContext(this.ctx)) throw new Error("this context has no controllable clock (use createSandboxContext)");
    this.ctx.clock.advance(ms);
    return this.ctx.now();
  }

  now(): number {
    return this.ctx.now();
  }

  /** Back to the seed's initial state: fresh truth and emulators (when startSandbox wired it), empty logs, no faults, no webhooks. */
  async reset(): Promise<void> {
    for (const m of this.monitors.values()) {
      m.log.clear();
      m.faults.reset();
    }
    this.mutator.reset();
    if (this.hooks.reset) await this.hooks.reset();
    else if (isKitContext(this.ctx)) this.ctx.resetState(this.ctx.truth);
  }

  truth(): Truth {
    return this.ctx.truth;
  }

  groundTruthJson(): string {
    return serializeTruth(this.ctx.truth);
  }

  /** Serves one `/_sandbox/...` request that arrived on `platform`'s port. */
  handleHttp(req: SandboxRequest, platform: Platform): Promise<SandboxResponse> {
    return handleControlRequest(this, req, platform);
  }

  private monitor(platform: Platform): PlatformMonitor {
    const m = this.monitors.get(platform);
    if (!m) throw new UnknownPlatformError(platform);
    return m;
  }
}

export class UnknownPlatformError extends Error {
  override readonly name = "UnknownPlatformError";
  constructor(readonly platform: string) {
    super(`no ${platform} emulator is running in this sandbox`);
  }
}
