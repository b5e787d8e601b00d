/** `workflow-YYYY-MM-DD-HHMMSS` (UTC), with `-2`, `-3` … on collision. */
export function baseWorkflowId(at: Date): string {
  const iso = at.toISOString(); // 2026-11-26T07:45:20.123Z
  return `workflow-${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

export function candidateWorkflowId(at: Date, collision: number): string {
  return collision <= 1 ? baseWorkflowId(at) : `${baseWorkflowId(at)}-${collision}`;
}

/**
 * Remembers the last suffix used per second in this process, so a burst of requests in one second
 * probes O(1) ids each rather than walking -2, -3, … from the start every time.
 */
export class CollisionHint {
  private second = "";
  private last = 0;

  start(at: Date): number {
    const base = baseWorkflowId(at);
    if (base !== this.second) {
      this.second = base;
      this.last = 0;
    }
    return this.last + 1;
  }

  used(at: Date, collision: number): void {
    if (baseWorkflowId(at) === this.second) this.last = Math.max(this.last, collision);
  }
}
