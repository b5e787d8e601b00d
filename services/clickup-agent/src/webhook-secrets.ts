import type { KV } from "@nats-io/kv";
import type { Logger } from "pino";
import { getJson, kvKey, type Component } from "@pmo/runtime";

/**
 * `pmo_cursors` keys `clickup.webhook-secret.<webhook id>`. The cursors bucket, not the ledger: the
 * ledger's entries expire after 30 days, and a webhook signs with the same secret for its whole life.
 */
const KEY_PREFIX = kvKey("clickup", "webhook-secret");

function secretKey(webhookId: string): string {
  return kvKey(KEY_PREFIX, webhookId);
}

/** What the KV entry holds. The endpoint is there for whoever inspects the bucket, not for verification. */
interface StoredSecret {
  secret: string;
  endpoint: string;
}

/**
 * The signing secret of each webhook this agent registered (ClickUp mints one per webhook and signs
 * every delivery of that webhook with it). Kept in KV so every replica verifies what any replica
 * registered, and mirrored in memory because the receiver verifies synchronously: `follow` watches
 * the keys for as long as the agent runs.
 */
export class WebhookSecrets {
  /** By KV key rather than webhook id: a deletion arrives with its key only. */
  private readonly byKey = new Map<string, string>();

  /** The secret ClickUp returned for `webhookId`, if this agent (any replica) registered it. */
  secretOf(webhookId: string): string | undefined {
    return this.byKey.get(secretKey(webhookId));
  }

  /** Stores a webhook's secret for every replica; this one can verify with it at once. */
  async remember(kv: KV, webhookId: string, secret: string, endpoint: string): Promise<void> {
    await kv.put(secretKey(webhookId), JSON.stringify({ secret, endpoint } satisfies StoredSecret));
    this.byKey.set(secretKey(webhookId), secret);
  }

  /** Whether KV holds a secret for `webhookId` (read from KV, not the mirror, which may lag behind another replica's write). */
  async isStored(kv: KV, webhookId: string): Promise<boolean> {
    return (await getJson<StoredSecret>(kv, secretKey(webhookId))) !== null;
  }

  /** A component that keeps this book equal to KV: started, it has loaded every stored secret. */
  follow(kv: KV, log: Logger): Component {
    return new SecretFollower(kv, this.byKey, log);
  }
}

class SecretFollower implements Component {
  readonly name = "webhook-secrets";
  private watcher: Awaited<ReturnType<KV["watch"]>> | null = null;

  constructor(
    private readonly kv: KV,
    private readonly byKey: Map<string, string>,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    // The watch starts first so nothing written between the two is missed; its replay of the
    // current values then repeats what the listing loaded, in order, ending at the newest.
    this.watcher = await this.kv.watch({ key: `${KEY_PREFIX}.>` });
    const watcher = this.watcher;
    void (async () => {
      for await (const e of watcher) this.apply(e.key, e.operation === "PUT" && e.length > 0 ? e.json<StoredSecret>() : null);
    })().catch((err) => this.log.error({ err }, "watching ClickUp webhook secrets stopped; secrets registered from now on verify only on the replica that registered them"));
    for await (const key of await this.kv.keys(`${KEY_PREFIX}.>`)) this.apply(key, (await getJson<StoredSecret>(this.kv, key))?.value ?? null);
    this.log.info({ webhooks: this.byKey.size }, "ClickUp webhook secrets loaded");
  }

  async stop(): Promise<void> {
    this.watcher?.stop();
  }

  private apply(key: string, stored: StoredSecret | null): void {
    if (stored?.secret) this.byKey.set(key, stored.secret);
    else this.byKey.delete(key);
  }
}
