/**
 * GitHub's repository hooks over the kit's webhook hub: the hub knows where to deliver and with
 * which secret; this adds what GitHub also keeps per hook (active, content type, SSL flag, times)
 * and the PATCH/DELETE the hub has no verbs for.
 */
import type { SandboxContext, WebhookRegistration } from "../kit/types.js";
import type { HookFacts } from "./hook-view.js";
import { type HookConfig, type HookUpdate, nextEvents } from "./hook-input.js";
import type { RepoRecord } from "./repo-index.js";

/** GitHub hook ids are integers; new ones continue after the largest numeric id registered so far. */
const FIRST_HOOK_ID = 400_000_001;

type HookState = Omit<HookFacts, "registration">;

/** Hooks registered behind the API's back (control API, sandbox start-up) look like a JSON hook created at sandbox time. */
const outsideState = (now: number): HookState => ({ active: true, contentType: "json", insecureSsl: "0", createdAt: now, updatedAt: now });

/** Listing order: by id, as hooks are numbered in creation order; non-numeric (control API) ids keep hub order, last. */
const idOrder = (r: WebhookRegistration) => {
  const n = Number(r.id);
  return Number.isFinite(n) ? n : Number.POSITIVE_INFINITY;
};

export class HookRegistry {
  private readonly states = new Map<string, HookState>();

  constructor(private readonly ctx: SandboxContext) {}

  private nextId(): string {
    const ids = this.ctx.webhooks.list("github").map((r) => Number(r.id)).filter(Number.isFinite);
    return String(Math.max(FIRST_HOOK_ID - 1, ...ids) + 1);
  }

  private facts(registration: WebhookRegistration): HookFacts {
    return { registration, ...(this.states.get(registration.id) ?? outsideState(this.ctx.now())) };
  }

  create(repo: RepoRecord, config: HookConfig, events: string[], active: boolean, now: number): HookFacts {
    const registration = this.ctx.webhooks.register({ id: this.nextId(), platform: "github", url: config.url, secret: config.secret, events, scope: repo.fullName });
    this.states.set(registration.id, { active, contentType: config.contentType, insecureSsl: config.insecureSsl, createdAt: now, updatedAt: now });
    return this.facts(registration);
  }

  inRepo(repo: RepoRecord): HookFacts[] {
    const mine = this.ctx.webhooks.list("github").filter((r) => r.scope === repo.fullName);
    return mine.sort((a, b) => idOrder(a) - idOrder(b)).map((r) => this.facts(r));
  }

  /** The repo's hook with that id; hooks of other repos are as invisible as missing ones. */
  find(repo: RepoRecord, hookId: string): HookFacts | undefined {
    const registration = this.ctx.webhooks.list("github").find((r) => r.id === hookId && r.scope === repo.fullName);
    return registration && this.facts(registration);
  }

  update(hook: HookFacts, update: HookUpdate, now: number): HookFacts {
    const { registration } = hook;
    const config = update.config;
    const next: WebhookRegistration = {
      ...registration,
      url: config?.url ?? registration.url,
      secret: config ? config.secret : registration.secret,
      events: nextEvents(registration.events, update),
    };
    // The hub has no update verb: re-registering under the same id keeps deliveries' X-GitHub-Hook-ID stable.
    this.ctx.webhooks.remove(registration.id);
    const replaced = this.ctx.webhooks.register(next);
    this.states.set(replaced.id, {
      active: update.active ?? hook.active,
      contentType: config?.contentType ?? hook.contentType,
      insecureSsl: config?.insecureSsl ?? hook.insecureSsl,
      createdAt: hook.createdAt,
      updatedAt: now,
    });
    return this.facts(replaced);
  }

  remove(hook: HookFacts): void {
    this.ctx.webhooks.remove(hook.registration.id);
    this.states.delete(hook.registration.id);
  }

  /** GitHub delivers nothing to a hook switched off with `active: false`. */
  delivers(registration: WebhookRegistration): boolean {
    return this.states.get(registration.id)?.active ?? true;
  }
}
