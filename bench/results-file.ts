import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const FILE = join(import.meta.dirname, "RESULTS.md");

/** Replaces the `## <section>` part of bench/RESULTS.md, leaving the other sections as they are. */
export function recordResults(section: string, lines: string[]): void {
  const current = existsSync(FILE) ? readFileSync(FILE, "utf8") : "# Benchmark results\n";
  const parts = current.split(/^(?=## )/m);
  const body = `## ${section}\n\n${lines.join("\n")}\n\n`;
  const i = parts.findIndex((p) => p.startsWith(`## ${section}\n`));
  if (i >= 0) parts[i] = body;
  else parts.push(body);
  writeFileSync(FILE, parts.join("").replace(/\n{3,}/g, "\n\n"));
}
