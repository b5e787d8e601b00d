import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./processes.js";

export const PMO_BIN = join(REPO_ROOT, "node_modules/.bin/pmo");

/** Runs the `pmo` CLI as a user would (its own process) and collects its exit code and output. */
export function runPmo(args: string[], env: NodeJS.ProcessEnv, cwd = REPO_ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(PMO_BIN, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
