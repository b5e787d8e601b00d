/**
 * Keeps a running job's message from being redelivered: a beat (`+WPI`, "work in progress") on a
 * timer, and whenever the handler reports progress, at most one every quarter interval. Handlers
 * report progress per item or per page (a collection reports 10-20 thousand times); sent as called,
 * each was a publish of its own and a socket write (measured: a 10k-item Plane collection spent
 * ~0.2 s of its agent's CPU in those writes). The timer alone would keep the job alive while the
 * event loop turns; a progress beat still goes out where only microtasks run for a while.
 */
export class JobHeartbeat {
  private last: number;
  private readonly timer: NodeJS.Timeout;
  private readonly minGapMs: number;

  constructor(
    private readonly send: () => void,
    intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.last = now();
    this.minGapMs = intervalMs / 4;
    this.timer = setInterval(() => this.beat(), intervalMs);
  }

  /** The handler's progress: a beat unless one went out less than a quarter interval ago. */
  progress(): void {
    if (this.now() - this.last >= this.minGapMs) this.beat();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    this.last = this.now();
    this.send();
  }
}
