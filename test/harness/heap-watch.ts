/**
 * Tells how many of the objects a test watches are still held by anyone: each watched group (an
 * object and what hangs off it) is kept through weak references, and a forced garbage collection
 * every few events counts the groups that survive, per kind.
 */
import v8 from "node:v8";
import vm from "node:vm";

v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

export class HeapWatch {
  private groups = new Map<string, WeakRef<object>[][]>();
  private readonly most = new Map<string, number>();
  private events = 0;

  constructor(
    /** `tick` samples every this many events. */
    private readonly sampleEvery: number,
  ) {}

  /** Watches a group of objects: it counts as held while any of them is. */
  watch(kind: string, ...objects: object[]): void {
    const groups = this.groups.get(kind) ?? [];
    groups.push(objects.map((o) => new WeakRef(o)));
    this.groups.set(kind, groups);
  }

  /** One event (an entry read, written...): every `sampleEvery`-th samples. */
  async tick(): Promise<void> {
    if (++this.events % this.sampleEvery === 0) await this.sample();
  }

  /** Collects garbage (in a new macrotask, so no weak reference is pinned by the current job) and counts what survived, per kind. */
  async sample(): Promise<Map<string, number>> {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    const held = new Map<string, number>();
    for (const [kind, groups] of this.groups) {
      const alive = groups.filter((refs) => refs.some((r) => r.deref() !== undefined));
      this.groups.set(kind, alive);
      held.set(kind, alive.length);
      this.most.set(kind, Math.max(this.most.get(kind) ?? 0, alive.length));
    }
    return held;
  }

  /** The most groups of `kind` found held at once since `reset`. */
  maxHeld(kind: string): number {
    return this.most.get(kind) ?? 0;
  }

  reset(): void {
    this.groups.clear();
    this.most.clear();
    this.events = 0;
  }
}
