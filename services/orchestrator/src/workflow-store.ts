import type { KV } from "@nats-io/kv";
import { CasConflictError, isWrongSequence } from "@pmo/runtime";
import type { WorkflowRecord } from "./record.js";
import { Transition, type EngineContext } from "./transitions.js";

/** @default 50 tries: two replicas and a burst of results may contend for one workflow */
const COMMIT_ATTEMPTS = 50;

/**
 * A record at a revision, with the exact JSON it is stored as. The text is the record's private
 * copy for the next transition (a parse is cheaper than a structured clone) and tells, by plain
 * comparison, whether a transition changed anything. `record` is shared: read it, never change it.
 */
export interface Snapshot {
  record: WorkflowRecord;
  revision: number;
  text: string;
}

export interface Committed {
  record: WorkflowRecord;
  revision: number;
  transition: Transition;
}

/**
 * The `pmo_workflows` bucket: the single source of truth of every workflow.
 *
 * It remembers the last revision this process wrote or read of each unfinished workflow, so the next
 * transition need not read it back from KV. That is safe because every write is a compare-and-set
 * on the revision: if another replica wrote meanwhile, the write fails and the commit starts over
 * from a fresh read. The KV watch (see Timers) reports every revision it sees through `observe`,
 * which drops a remembered revision as soon as a newer one exists.
 */
export class WorkflowStore {
  private readonly known = new Map<string, Snapshot>();

  constructor(readonly kv: KV) {}

  /** The current record from KV. */
  async read(workflowId: string): Promise<Snapshot | null> {
    const entry = await this.kv.get(workflowId);
    if (!entry || entry.operation !== "PUT" || entry.length === 0) return null;
    const text = entry.string();
    return this.remember(workflowId, { record: JSON.parse(text) as WorkflowRecord, revision: entry.revision, text });
  }

  /**
   * The newest revision this process knows, else a read. It may lag behind another replica's write,
   * so decisions it supports must be re-checked by a commit (CAS) or by `read`.
   */
  async get(workflowId: string): Promise<Snapshot | null> {
    return this.known.get(workflowId) ?? this.read(workflowId);
  }

  /** The remembered record at exactly `revision`, if any (lets the KV watch skip parsing this process's own writes). */
  at(workflowId: string, revision: number): WorkflowRecord | null {
    const s = this.known.get(workflowId);
    return s && s.revision === revision ? s.record : null;
  }

  /** A revision seen on the KV watch; forgets what it supersedes. `revision` null: the key was deleted. */
  observe(workflowId: string, revision: number | null): void {
    const s = this.known.get(workflowId);
    if (s && (revision === null || revision > s.revision)) this.known.delete(workflowId);
  }

  /** Creates the workflow only if the id is free; null when the id is taken. */
  async create(record: WorkflowRecord): Promise<Snapshot | null> {
    const text = JSON.stringify(record);
    let revision: number;
    try {
      revision = await this.kv.create(record.state.workflowId, text);
    } catch (err) {
      if (isWrongSequence(err) || /key exists/i.test(String((err as Error).message))) return null;
      throw err;
    }
    return this.remember(record.state.workflowId, { record, revision, text });
  }

  /**
   * Runs `change` on a private copy of the current record and writes it back with compare-and-set.
   * On a lost race it starts over from a fresh read, so only the winning run's effects are
   * returned. `change` returns false when it had nothing to do (no write happens).
   */
  async commit(workflowId: string, ctx: () => EngineContext, change: (t: Transition) => boolean | void, base?: Snapshot): Promise<Committed | null> {
    for (let i = 0; i < COMMIT_ATTEMPTS; i++) {
      // The first try starts from what is known (the caller's read, or this process's last write); a lost race re-reads.
      const current = i === 0 ? (base ?? (await this.get(workflowId))) : await this.read(workflowId);
      if (!current) return null;
      const t = new Transition(JSON.parse(current.text) as WorkflowRecord, ctx());
      const changed = change(t);
      if (changed === false) return null;
      const text = JSON.stringify(t.record);
      if (t.effects.length === 0 && text === current.text) return null;
      try {
        const revision = await this.kv.update(workflowId, text, current.revision);
        this.remember(workflowId, { record: t.record, revision, text });
        return { record: t.record, revision, transition: t };
      } catch (err) {
        if (!isWrongSequence(err)) throw err;
        this.known.delete(workflowId);
      }
    }
    throw new CasConflictError(workflowId, COMMIT_ATTEMPTS);
  }

  async *keys(): AsyncIterable<string> {
    const it = await this.kv.keys();
    for await (const k of it) yield k;
  }

  private remember(workflowId: string, s: Snapshot): Snapshot {
    const status = s.record.state.status;
    // Finished workflows change no more (only a late timer or result may look, and reads it fresh).
    if (status === "complete" || status === "error") this.known.delete(workflowId);
    else {
      const held = this.known.get(workflowId);
      if (!held || s.revision > held.revision) this.known.set(workflowId, s);
    }
    return s;
  }
}
