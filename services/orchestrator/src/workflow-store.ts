import type { KV } from "@nats-io/kv";
import { CasConflictError, createIfAbsent, getJson, isWrongSequence, type Versioned } from "@pmo/runtime";
import type { WorkflowRecord } from "./record.js";
import { Transition, type EngineContext } from "./transitions.js";

/** @default 50 tries: two replicas and a burst of results may contend for one workflow */
const COMMIT_ATTEMPTS = 50;

export interface Committed {
  record: WorkflowRecord;
  revision: number;
  transition: Transition;
}

/** The `pmo_workflows` bucket: the single source of truth of every workflow. */
export class WorkflowStore {
  constructor(readonly kv: KV) {}

  async get(workflowId: string): Promise<{ record: WorkflowRecord; revision: number } | null> {
    const v = await getJson<WorkflowRecord>(this.kv, workflowId);
    return v ? { record: v.value, revision: v.revision } : null;
  }

  /** Creates the workflow only if the id is free; returns its revision, or null when the id is taken. */
  create(record: WorkflowRecord): Promise<number | null> {
    return createIfAbsent(this.kv, record.state.workflowId, record);
  }

  /**
   * Runs `change` on a private copy of the current record and writes it back with compare-and-set.
   * On a lost race it starts over from the newer record, so only the winning run's effects are
   * returned. `change` returns false when it had nothing to do (no write happens).
   */
  async commit(workflowId: string, ctx: () => EngineContext, change: (t: Transition) => boolean | void, known?: Versioned<WorkflowRecord>): Promise<Committed | null> {
    for (let i = 0; i < COMMIT_ATTEMPTS; i++) {
      // The caller's fresh read (if any) serves the first try; a lost race re-reads.
      const current = i === 0 && known ? { record: known.value, revision: known.revision } : await this.get(workflowId);
      if (!current) return null;
      const t = new Transition(structuredClone(current.record), ctx());
      const changed = change(t);
      if (changed === false || (t.effects.length === 0 && JSON.stringify(t.record) === JSON.stringify(current.record))) return null;
      try {
        const revision = await this.kv.update(workflowId, JSON.stringify(t.record), current.revision);
        return { record: t.record, revision, transition: t };
      } catch (err) {
        if (!isWrongSequence(err)) throw err;
      }
    }
    throw new CasConflictError(workflowId, COMMIT_ATTEMPTS);
  }

  async *keys(): AsyncIterable<string> {
    const it = await this.kv.keys();
    for await (const k of it) yield k;
  }
}
