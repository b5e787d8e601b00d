import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * A child process turns over a live set of ~60 MB (pages of records, as a collection does) with
 * garbage besides, and prints its heap's peak size; with `limited`, after limitHeapGrowth.
 */
function peakHeapMb(limited: boolean): number {
  const dir = mkdtempSync(join(tmpdir(), "pmo-heap-"));
  const script = join(dir, "grow.mts");
  writeFileSync(
    script,
    `import v8 from "node:v8";
import { limitHeapGrowth } from ${JSON.stringify(join(import.meta.dirname, "heap-growth.ts"))};
if (${limited}) limitHeapGrowth();
const live: unknown[] = [];
let peak = 0;
for (let round = 0; round < 400; round++) {
  const page = Array.from({ length: 2000 }, (_, i) => ({ id: round + "-" + i, text: "x".repeat(200 + (i % 50)), n: [i, round] }));
  live.push(page);
  if (live.length > 40) live.shift();
  JSON.stringify(page);
  peak = Math.max(peak, v8.getHeapStatistics().total_heap_size);
}
console.log(Math.round(peak / 1048576));
`,
  );
  const run = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 60_000 });
  if (run.status !== 0) throw new Error(`heap child failed: ${run.stderr}`);
  return Number(run.stdout.trim());
}

describe("limitHeapGrowth", () => {
  it("keeps the heap near what is live, where V8 alone lets it grow well past (control)", () => {
    const limited = peakHeapMb(true);
    const unlimited = peakHeapMb(false);
    // ~60-70 MB live: grown by 60% plus the young generation, against V8's own factor.
    expect(limited).toBeLessThan(150);
    expect(unlimited).toBeGreaterThan(limited * 1.3);
  }, 120_000);
});
