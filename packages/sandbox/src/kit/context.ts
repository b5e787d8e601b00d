/**
 * Builds the SandboxContext shared by the three emulators: the truth, the scaled clock, change
 * emission with deterministic ids, and the webhook hub that turns changes into deliveries.
 */
import type { Platform, Truth } from "../truth/model.js";
import { derivedUuid } from "../truth/prng.js";
import { SandboxClock } from "./clock.js";
import type { ItemChange, PlatformDialect, SandboxContext } from "./types.js";
import { WebhookHub, type WebhookHubOptions } from "./webhooks.js";

/** The context as the kit sees it: the agreed SandboxContext plus the kit's own machinery. */
export interface KitContext extends SandboxContext {
  clock: SandboxClock;
  hub: WebhookHub;
  /** Dialects by platform, filled in by startPlatformServer; the hub renders deliveries with them. */
  dialects: Partial<Record<Platform, PlatformDialect>>;
  /** Recent changes, oldest first (bounded). */
  changes(): ItemChange[];
  /** Replaces the truth and restarts the clock, change counter, webhooks. */
  resetState(truth: Truth): void;
}

export interface ContextOptions {
  truth: Truth;
  /** @default 1 (real time) */
  timeScale?: number;
  webhooks?: Omit<WebhookHubOptions, "seed">;
}

/** @default 1,000 recent changes kept for the control API. */
const CHANGE_HISTORY = 1_000;

export function createSandboxContext(options: ContextOptions): KitContext {
  const timeScale = options.timeScale ?? 1;
  const clock = new SandboxClock(options.truth.now, timeScale);
  const hub = new WebhookHub({ seed: options.truth.seed, ...options.webhooks });
  let counter = 0;
  let recent: ItemChange[] = [];
  const ctx: KitContext = {
    truth: options.truth,
    timeScale,
    clock,
    hub,
    dialects: {},
    now: () => clock.now(),
    emitChange(change) {
      const full: ItemChange = { ...change, id: derivedUuid(ctx.truth.seed, "change", counter++) };
      recent.push(full);
      if (recent.length > CHANGE_HISTORY) recent.shift();
      hub.dispatch(full, ctx.dialects[full.platform]);
      return full;
    },
    changeCount: () => counter,
    webhooks: {
      register: (reg) => hub.register(reg),
      list: (platform) => hub.list(platform),
      remove: (id) => hub.remove(id),
    },
    changes: () => [...recent],
    resetState(truth) {
      ctx.truth = truth;
      clock.restart(truth.now);
      counter = 0;
      recent = [];
      hub.reset();
    },
  };
  return ctx;
}

export function isKitContext(ctx: SandboxContext): ctx is KitContext {
  return "hub" in ctx && "dialects" in ctx && "clock" in ctx;
}
