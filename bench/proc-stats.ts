/** What a benchmark reads about processes from /proc (Linux only; other systems get 0 / NaN / undefined). */
import { readFileSync, readdirSync } from "node:fs";

/** CPU time (user + system, all threads) a process has used so far. */
export function cpuMsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th, in clock ticks (100/s).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * Minor page faults a process (`"self"`: this one) has taken so far: on this kind of VM each costs
 * ~15 µs (fresh memory is mapped in by the host), so they are a large part of where time goes.
 */
export function minorFaultsOf(pid: number | "self" | undefined): number {
  if (!pid) return 0;
  try {
    // minflt is the 10th field of /proc/<pid>/stat, the 8th after the command name.
    return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[7]);
  } catch {
    return 0;
  }
}

/** CPU time this process has used so far (user + system), in ms. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** This process's children by command name (nats-server is started by the harness, which does not expose its pid). */
export function childPid(comm: string): number | undefined {
  try {
    for (const task of readdirSync("/proc/self/task")) {
      for (const pid of readFileSync(`/proc/self/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) {
        if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === comm) return Number(pid);
      }
    }
  } catch {
    // not Linux: CPU figures stay 0
  }
  return undefined;
}

/** Peak resident set of a process (Linux VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}
