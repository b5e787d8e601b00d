import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");

/** A service started as its own process the way `pmo up` starts it (node + tsx), with captured output. */
export interface ServiceProcess {
  name: string;
  proc: ChildProcess;
  output(): string;
  /** Resolves with the first stdout line (JSON log) for which `match` is true. */
  waitForLog(match: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(): Promise<number | null>;
  terminate(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export function startProcess(name: string, script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = [], args: string[] = []): ServiceProcess {
  // Compiled JavaScript (the deployed form, e.g. dist/app/bin/pmo-service.mjs) runs on plain node.
  const compiled = /\.m?js$/.test(script);
  const proc = spawn(process.execPath, [...nodeArgs, ...(compiled ? [] : ["--import", "tsx"]), resolve(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const waiters: Array<{ match: (e: Record<string, unknown>) => boolean; resolve: (e: Record<string, unknown>) => void }> = [];
  let partial = "";
  proc.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
    partial += d.toString();
    const lines = partial.split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      for (const w of [...waiters]) {
        if (w.match(entry)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(entry);
        }
      }
    }
  });
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((res) => proc.once("exit", (code, signal) => res(code ?? (signal ? -1 : null))));
  const stopWith = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    return exited;
  };
  return {
    name,
    proc,
    output: () => out,
    waitForLog: (match, timeoutMs = 20_000) =>
      new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`${name}: no matching log line within ${timeoutMs} ms. Output:\n${out.slice(-3_000)}`)), timeoutMs);
        waiters.push({ match, resolve: (e) => (clearTimeout(timer), res(e)) });
        void exited.then((code) => rej(new Error(`${name} exited (${code}) before the expected log line. Output:\n${out.slice(-3_000)}`)));
      }),
    kill: () => stopWith("SIGKILL"),
    terminate: (signal = "SIGTERM") => stopWith(signal),
    exited,
  };
}
