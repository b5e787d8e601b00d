/**
 * Fault injection: rules applied by rate (a seeded PRNG, so a run is repeatable) or to the next N
 * matching requests. Each application is counted per rule and per kind.
 */
import { Prng } from "../truth/prng.js";
import type { FaultKind, FaultRule } from "./types.js";

export interface ActiveFault extends FaultRule {
  id: string;
  /** Times this rule was applied. */
  applied: number;
  /** For count rules: applications left. */
  remaining?: number;
}

/** @default 2,000 ms for a "slow" rule without `delayMs`. */
export const DEFAULT_SLOW_DELAY_MS = 2_000;

export class FaultInjector {
  private rules: ActiveFault[] = [];
  private nextId = 1;
  private appliedByKind: Partial<Record<FaultKind, number>> = {};
  private rng: Prng;

  constructor(private readonly seed: number, private readonly label: string) {
    this.rng = new Prng(seed, `faults/${label}`);
  }

  add(rule: FaultRule): ActiveFault {
    if (rule.rate === undefined && rule.count === undefined) throw new RangeError("a fault rule needs `rate` or `count`");
    if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) throw new RangeError("fault `rate` must be within 0..1");
    if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count >= 0)) throw new RangeError("fault `count` must be a non-negative integer");
    if (rule.match !== undefined) compileMatch(rule.match); // fail on add, not on the next request
    const active: ActiveFault = { ...rule, id: `fault-${this.nextId++}`, applied: 0 };
    if (rule.count !== undefined) active.remaining = rule.count;
    this.rules.push(active);
    return { ...active };
  }

  /** The rule to apply to a request identified by "METHOD path", if any; counts the application. */
  decide(requestKey: string): ActiveFault | null {
    for (const rule of this.rules) {
      if (rule.match !== undefined && !compileMatch(rule.match)(requestKey)) continue;
      if (rule.remaining !== undefined) {
        if (rule.remaining === 0) continue;
        rule.remaining--;
      } else if (!(this.rng.next() < (rule.rate ?? 0))) {
        continue;
      }
      rule.applied++;
      this.appliedByKind[rule.kind] = (this.appliedByKind[rule.kind] ?? 0) + 1;
      return rule;
    }
    return null;
  }

  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  applied(): Partial<Record<FaultKind, number>> {
    return { ...this.appliedByKind };
  }

  /** Removes one rule, or all when `id` is omitted; counts by kind survive removal (they are history). */
  remove(id?: string): number {
    const before = this.rules.length;
    this.rules = id === undefined ? [] : this.rules.filter((r) => r.id !== id);
    return before - this.rules.length;
  }

  /** Back to the state right after construction (reset of the sandbox). */
  reset(): void {
    this.rules = [];
    this.nextId = 1;
    this.appliedByKind = {};
    this.rng = new Prng(this.seed, `faults/${this.label}`);
  }
}

const matcherCache = new Map<string, (key: string) => boolean>();

/** `match` is a substring of "METHOD path", or else a regular expression source. */
function compileMatch(match: string): (key: string) => boolean {
  let fn = matcherCache.get(match);
  if (!fn) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(match);
    } catch {
      re = null; // not a valid expression: substring matching only
    }
    fn = (key) => key.includes(match) || (re !== null && re.test(key));
    matcherCache.set(match, fn);
  }
  return fn;
}
