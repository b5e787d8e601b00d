import type { KV } from "@nats-io/kv";
import { casUpdate, createIfAbsent, getJson, kvKey } from "@pmo/runtime";

/** What is known about one idempotent operation (a create, an update) against a platform. */
export type LedgerEntry<Outcome> =
  | { state: "pending"; intent: unknown; startedAt: string; attempts: number }
  | { state: "done"; intent: unknown; outcome: Outcome; doneAt: string };

/**
 * Idempotency records in KV `pmo_ledger`: written *before* the platform call, completed after it. A
 * retried or redelivered operation finds its record: done → reuse the outcome; pending → the earlier
 * call's fate is unknown, so the caller must look the item up (by marker / external id) before
 * creating it again. This is how a bulk run killed mid-way creates no duplicates.
 */
export class OperationLedger<Outcome> {
  constructor(
    private readonly kv: KV,
    private readonly platform: string,
  ) {}

  private key(opKey: string): string {
    return kvKey("op", this.platform, opKey);
  }

  /** Records the intent; returns what an earlier attempt left (null on the first attempt). */
  async begin(opKey: string, intent: unknown): Promise<LedgerEntry<Outcome> | null> {
    const fresh: LedgerEntry<Outcome> = { state: "pending", intent, startedAt: new Date().toISOString(), attempts: 1 };
    if (await createIfAbsent(this.kv, this.key(opKey), fresh)) return null;
    const before = await getJson<LedgerEntry<Outcome>>(this.kv, this.key(opKey));
    if (before?.value.state === "pending") {
      await casUpdate<LedgerEntry<Outcome>>(this.kv, this.key(opKey), (e) => (e.state === "pending" ? { ...e, attempts: e.attempts + 1 } : null));
    }
    return before?.value ?? null;
  }

  async complete(opKey: string, intent: unknown, outcome: Outcome): Promise<void> {
    const done: LedgerEntry<Outcome> = { state: "done", intent, outcome, doneAt: new Date().toISOString() };
    await this.kv.put(this.key(opKey), JSON.stringify(done));
  }

  async get(opKey: string): Promise<LedgerEntry<Outcome> | null> {
    return (await getJson<LedgerEntry<Outcome>>(this.kv, this.key(opKey)))?.value ?? null;
  }
}
