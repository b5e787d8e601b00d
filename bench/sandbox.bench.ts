/**
 * Sandbox benchmark (issue #3): generation of 100,000 items per platform (time, peak RSS) and full
 * pagination of 10,000 items per platform over HTTP through the emulators (pages/s, one client,
 * sequential pages). Prints the figures and records them in bench/RESULTS.md under "## Sandbox".
 *
 *   npm run bench:sandbox              (BENCH_GEN_ITEMS / BENCH_PAGE_ITEMS override the sizes)
 */
import { cpus, loadavg } from "node:os";
import { generateTruth, startSandbox, truthDigest, type SandboxHandle } from "@pmo/sandbox";
import { recordResults } from "./results-file.js";

const GEN_ITEMS = Number(process.env.BENCH_GEN_ITEMS ?? 100_000);
const PAGE_ITEMS = Number(process.env.BENCH_PAGE_ITEMS ?? 10_000);
const SEED = 42;
/** Recorded with the figures: on a shared machine, timings scale with the load. */
const LOAD_AT_START = loadavg()[0] ?? 0;

interface PaginationFigure {
  platform: string;
  how: string;
  pages: number;
  items: number;
  expected: number;
  seconds: number;
}

function generation() {
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const truth = generateTruth({ seed: SEED, itemsPerPlatform: GEN_ITEMS });
  const seconds = (performance.now() - t0) / 1000;
  // maxRSS is the process's peak so far: generation is the first thing this process does.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  const t1 = performance.now();
  const digest = truthDigest(truth);
  const digestSeconds = (performance.now() - t1) / 1000;
  return { seconds, peakRssMb, heapMb, rssBeforeMb: rssBefore / 1024 / 1024, digest, digestSeconds, items: 3 * GEN_ITEMS };
}

async function getJson(url: string, headers: Record<string, string>): Promise<{ body: any; headers: Headers }> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`${url} → ${res.status}: ${await res.text()}`);
  return { body: await res.json(), headers: res.headers };
}

async function timed(platform: string, how: string, expected: number, run: () => Promise<{ pages: number; items: number }>): Promise<PaginationFigure> {
  const t0 = performance.now();
  const { pages, items } = await run();
  return { platform, how, pages, items, expected, seconds: (performance.now() - t0) / 1000 };
}

async function paginateClickUp(sb: SandboxHandle): Promise<PaginationFigure> {
  const { truth, urls, credentials } = sb;
  const expected = truth.items.clickup.filter((i) => i.deletedAt === null).length;
  return timed("clickup", "GET /team/{id}/task?page=N (100/page, include_closed, subtasks)", expected, async () => {
    let pages = 0;
    let items = 0;
    for (let page = 0; ; page++) {
      const { body } = await getJson(`${urls.clickup}/team/${truth.clickup.teamId}/task?page=${page}&include_closed=true&subtasks=true`, { authorization: credentials.clickupToken });
      pages++;
      items += body.tasks.length;
      if (body.last_page === true || body.tasks.length < 100) break;
    }
    return { pages, items };
  });
}

async function paginateGitHub(sb: SandboxHandle): Promise<PaginationFigure> {
  const { truth, urls, credentials } = sb;
  const expected = truth.items.github.filter((i) => i.deletedAt === null).length;
  return timed("github", "GET /repos/{o}/{r}/issues?state=all&per_page=100, following link rel=next", expected, async () => {
    let pages = 0;
    let items = 0;
    for (const repo of truth.github.repos) {
      let next: string | null = `${urls.github}/repos/${repo.fullName}/issues?state=all&per_page=100`;
      while (next) {
        const { body, headers } = await getJson(next, { authorization: `token ${credentials.githubToken}`, accept: "application/vnd.github+json" });
        pages++;
        items += body.length;
        next = /<([^>]+)>;\s*rel="next"/.exec(headers.get("link") ?? "")?.[1] ?? null;
      }
    }
    return { pages, items };
  });
}

async function paginatePlane(sb: SandboxHandle): Promise<PaginationFigure> {
  const { truth, urls, credentials } = sb;
  const expected = truth.items.plane.filter((i) => i.deletedAt === null).length;
  return timed("plane", "GET /workspaces/{slug}/projects/{id}/work-items/?per_page=100, following next_cursor", expected, async () => {
    let pages = 0;
    let items = 0;
    for (const project of truth.plane.projects) {
      let cursor: string | null = null;
      do {
        const url = `${urls.plane}/workspaces/${truth.plane.workspaceSlug}/projects/${project.id}/work-items/?per_page=100${cursor ? `&cursor=${cursor}` : ""}`;
        const { body } = await getJson(url, { "x-api-key": credentials.planeApiKey });
        pages++;
        items += body.results.length;
        cursor = body.next_page_results ? body.next_cursor : null;
      } while (cursor);
    }
    return { pages, items };
  });
}

async function pagination(): Promise<PaginationFigure[]> {
  // Limits raised so that the figure measures the emulators, not the real platforms' quotas.
  const sb = await startSandbox({ seed: SEED, itemsPerPlatform: PAGE_ITEMS, rateLimits: { clickupPerMinute: 1e9, githubPerHour: 1e9, planePerMinute: 1e9 } });
  try {
    const figures: PaginationFigure[] = [];
    for (const run of [paginateClickUp, paginateGitHub, paginatePlane]) {
      await run(sb); // warm-up: JIT and the emulators' lazily built indexes
      figures.push(await run(sb));
    }
    return figures;
  } finally {
    await sb.close();
  }
}

function report(gen: ReturnType<typeof generation>, pages: PaginationFigure[]): string[] {
  return [
    `Run ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} cores, 1-min load average ${LOAD_AT_START.toFixed(1)} at start), Node ${process.version}. \`npm run bench:sandbox\`.`,
    "",
    `### Generation: ${GEN_ITEMS.toLocaleString("en")} items per platform (${gen.items.toLocaleString("en")} in all), seed ${SEED}`,
    "",
    "| figure | value |",
    "|---|---|",
    `| time | ${gen.seconds.toFixed(2)} s |`,
    `| peak RSS (process, incl. ~${gen.rssBeforeMb.toFixed(0)} MB baseline) | ${gen.peakRssMb.toFixed(0)} MB |`,
    `| heap used after generation | ${gen.heapMb.toFixed(0)} MB |`,
    `| canonical digest (sha256) | \`${gen.digest.slice(0, 16)}…\` in ${gen.digestSeconds.toFixed(2)} s |`,
    "",
    `### Full pagination over HTTP: ${PAGE_ITEMS.toLocaleString("en")} items per platform (one client, sequential, keep-alive; after one warm-up pass)`,
    "",
    "| platform | request | pages | items seen / live | seconds | pages/s | items/s |",
    "|---|---|---|---|---|---|---|",
    ...pages.map((p) => `| ${p.platform} | ${p.how} | ${p.pages} | ${p.items} / ${p.expected} | ${p.seconds.toFixed(2)} | ${(p.pages / p.seconds).toFixed(0)} | ${(p.items / p.seconds).toFixed(0)} |`),
  ];
}

const gen = generation();
console.log(`generation: ${gen.items} items in ${gen.seconds.toFixed(2)} s, peak RSS ${gen.peakRssMb.toFixed(0)} MB, digest ${gen.digest.slice(0, 16)}`);
const pages = await pagination();
for (const p of pages) {
  console.log(`${p.platform}: ${p.pages} pages, ${p.items}/${p.expected} items in ${p.seconds.toFixed(2)} s → ${(p.pages / p.seconds).toFixed(0)} pages/s`);
  if (p.items !== p.expected) console.warn(`  ${p.platform}: saw ${p.items} items, the truth has ${p.expected} live ones`);
}
recordResults("Sandbox", report(gen, pages));
console.log("\nrecorded in bench/RESULTS.md (## Sandbox)");
