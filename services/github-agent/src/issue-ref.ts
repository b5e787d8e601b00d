import { JobFailure } from "@pmo/runtime";

/** "owner/repo#12", "#12" or "12" (+ the op's container or the default repo) → where the issue lives. */
export function resolveIssue(id: string, container: string | undefined, defaultRepo: string): { repo: string; number: number } {
  const m = /^(?:([\w.-]+\/[\w.-]+))?#?(\d+)$/.exec(id.trim());
  if (!m) throw JobFailure.nonRetryable(`github: "${id}" is not an issue reference (owner/repo#12, #12 or 12)`, "missing_parameters");
  return { repo: m[1] ?? container ?? defaultRepo, number: Number(m[2]) };
}
