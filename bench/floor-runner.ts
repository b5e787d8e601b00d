import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { FloorJob } from "./floors.js";

/**
 * The floor client in a process of its own, started once per platform and kept (its JIT warms up
 * over the rounds, as the agent's does). In the sandbox's own process the client would take turns
 * with the sandbox on one thread, and its floor would count the sandbox's serving and the client's
 * parsing one after the other; the agent has a process of its own, so the floor has one too.
 */
export class FloorProcess {
  private constructor(private readonly child: ChildProcess) {}

  static async start(): Promise<FloorProcess> {
    const child = fork(join(import.meta.dirname, "floor-process.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    await new Promise<void>((resolve, reject) => {
      child.once("message", () => resolve());
      child.once("exit", (code) => reject(new Error(`the floor process exited (${code}) before it was ready`)));
    });
    return new FloorProcess(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs one floor job in the process; resolves with the ms it measured there. */
  run(job: FloorJob): Promise<number> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the floor process exited (${code}) during a run`));
      this.child.once("exit", onExit);
      this.child.once("message", (answer: { ms?: number; error?: string }) => {
        this.child.off("exit", onExit);
        if (answer.error !== undefined) reject(new Error(`floor run failed: ${answer.error}`));
        else resolve(answer.ms!);
      });
      this.child.send(job);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill();
    await exited;
  }
}
