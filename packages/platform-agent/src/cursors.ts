import type { KV } from "@nats-io/kv";
import { getJson, kvKey } from "@pmo/runtime";

/**
 * Per-container collection state in KV `pmo_cursors` (`<platform>.<container>`): the watermark of the
 * last collection, ETags, the last full id sweep, the last webhook seen. Whatever the agent needs to
 * fetch only what changed next time.
 */
export class CursorStore<T extends object> {
  constructor(
    private readonly kv: KV,
    private readonly platform: string,
  ) {}

  private key(container: string): string {
    return kvKey(this.platform, container);
  }

  async get(container: string): Promise<T | null> {
    return (await getJson<T>(this.kv, this.key(container)))?.value ?? null;
  }

  async set(container: string, value: T): Promise<void> {
    await this.kv.put(this.key(container), JSON.stringify(value));
  }

  async forget(container: string): Promise<void> {
    await this.kv.delete(this.key(container));
  }
}
