/** Fixed-size memory of recent items (oldest dropped): keeps the generator's side state bounded. */
import type { TruthItem } from "./model.js";
import type { Prng } from "./prng.js";

/** How many recent items each container remembers as parent / blocker / "Fixes #n" candidates. */
export const RING_SIZE = 64;

export class Ring {
  private readonly items: TruthItem[] = [];
  private next = 0;

  push(item: TruthItem): void {
    if (this.items.length < RING_SIZE) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % RING_SIZE;
  }

  /** A random remembered item satisfying `ok`, trying a few times (a miss is fine: the item just gets no link). */
  pick(rng: Prng, ok: (item: TruthItem) => boolean): TruthItem | null {
    if (this.items.length === 0) return null;
    for (let attempt = 0; attempt < 4; attempt++) {
      const item = rng.pick(this.items);
      if (ok(item)) return item;
    }
    return null;
  }
}

export function ringFor(map: Map<string, Ring>, key: string): Ring {
  let ring = map.get(key);
  if (!ring) map.set(key, (ring = new Ring()));
  return ring;
}
