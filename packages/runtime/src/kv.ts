import type { KV } from "@nats-io/kv";
import { CasConflictError } from "./errors.js";

/** @default 20 tries before a CAS update gives up */
export const DEFAULT_CAS_ATTEMPTS = 20;

export interface Versioned<T> {
  value: T;
  revision: number;
}

export async function getJson<T>(kv: KV, key: string): Promise<Versioned<T> | null> {
  const entry = await kv.get(key);
  if (!entry || entry.operation !== "PUT" || entry.length === 0) return null;
  return { value: entry.json<T>(), revision: entry.revision };
}

/**
 * Read-modify-write with revision compare-and-set: `change` sees the current value and returns the
 * next one (or `null` to leave it as is). On a lost race it re-reads and calls `change` again,
 * so `change` must be a pure function of its argument.
 */
export async function casUpdate<T>(
  kv: KV,
  key: string,
  change: (current: T) => T | null,
  attempts = DEFAULT_CAS_ATTEMPTS,
): Promise<Versioned<T> | null> {
  for (let i = 0; i < attempts; i++) {
    const current = await getJson<T>(kv, key);
    if (!current) return null;
    const next = change(current.value);
    if (next === null) return current;
    try {
      const revision = await kv.update(key, JSON.stringify(next), current.revision);
      return { value: next, revision };
    } catch (err) {
      if (!isWrongSequence(err)) throw err;
      // Writers that collided retry at once and collide again; a short random pause spreads them.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** i)));
    }
  }
  throw new CasConflictError(key, attempts);
}

/** Creates `key` only if absent; returns the new revision, or null when the key already exists. */
export async function createIfAbsent(kv: KV, key: string, value: unknown): Promise<number | null> {
  try {
    return await kv.create(key, JSON.stringify(value));
  } catch (err) {
    if (isWrongSequence(err) || /key exists/i.test(String((err as Error).message))) return null;
    throw err;
  }
}

/** True when a KV update lost a compare-and-set race. */
export function isWrongSequence(err: unknown): boolean {
  const e = err as { message?: string; code?: number; api_error?: { err_code?: number } };
  // 10071: wrong last sequence (JetStream API error code for a failed expected-revision publish)
  return e?.api_error?.err_code === 10071 || /wrong last sequence/i.test(e?.message ?? "");
}

/** KV keys allow `[-/_=.a-zA-Z0-9]`; job ids contain ':' — map it (and anything else) reversibly enough for lookups. */
export function kvKey(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^-/_=.a-zA-Z0-9]/g, (c) => `=${c.charCodeAt(0).toString(16)}`)).join(".");
}
