/**
 * The sandbox clock: starts at the truth's `now` and advances with real elapsed time multiplied by
 * the time scale (60 ⇒ a sandbox minute lasts a real second), plus explicit jumps for tests.
 */
export class SandboxClock {
  private origin: number;
  private realStart = performance.now();
  private jumped = 0;

  constructor(origin: number, readonly timeScale: number) {
    if (!(timeScale > 0)) throw new RangeError(`timeScale must be > 0, got ${timeScale}`);
    this.origin = origin;
  }

  now(): number {
    return this.origin + this.jumped + Math.floor((performance.now() - this.realStart) * this.timeScale);
  }

  /** Moves the clock forward by `ms` sandbox milliseconds (e.g. to let a rate window expire in a test). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError("the clock only moves forward");
    this.jumped += ms;
  }

  /** Real milliseconds a sandbox duration lasts: what Retry-After style waits must be expressed in. */
  toRealMs(sandboxMs: number): number {
    return sandboxMs / this.timeScale;
  }

  /** The real wall-clock instant (epoch ms) at which the sandbox clock will read `sandboxAt`: for reset headers clients compare with Date.now(). */
  toRealEpochMs(sandboxAt: number): number {
    return Date.now() + (sandboxAt - this.now()) / this.timeScale;
  }

  restart(origin: number): void {
    this.origin = origin;
    this.realStart = performance.now();
    this.jumped = 0;
  }
}
