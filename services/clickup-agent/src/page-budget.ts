/**
 * A bound on the task pages a collection holds: a fetcher takes a slot before it asks for a page,
 * and the slot comes back once that page has been emitted. So at most `limit` pages are alive at
 * once, being fetched, waiting or being emitted, however many lists are fetched side by side.
 * (Bounding only the waiting pages let every fetcher hold one more page on top, and the pages held
 * were what the garbage collector kept copying: measured, ~6 MB surviving each young-generation
 * collection in a 10k-task run.) Once the emission fails, every waiting and later `take` fails with it.
 */
export class PageBudget {
  private used = 0;
  private readonly waiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private failure: { err: unknown } | null = null;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a page budget needs at least one page, not ${limit}`);
  }

  /** Resolves when a slot is this caller's. */
  take(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.err);
    if (this.used < this.limit) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Gives a slot back: to the longest waiting caller, if any. */
  give(): void {
    const next = this.waiting.shift();
    if (next) next.resolve();
    else this.used = Math.max(0, this.used - 1);
  }

  /** No slot will come back: the waiting callers, and any later ones, fail with `err`. */
  fail(err: unknown): void {
    this.failure ??= { err };
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}
