/**
 * The floors of `bench/collect.bench.ts`: plain undici clients fetching the pages a collection
 * needs, parsing each body as JSON and dropping it. They run in a process of their own
 * (floor-process.ts), as the agent does, so the sandbox serves them from its own core.
 */
import { Agent, fetch as undiciFetch } from "undici";

export async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Which recorded pages a real client can only reach one after the other (see replayFloor). */
export const CHAINS = {
  // ClickUp pages are numbered, but only `last_page` (or a short page) says where they end.
  "clickup-pages": (url: URL) => (/\/(list|team)\/[^/]+\/task$/.test(url.pathname) ? url.pathname : null),
  // Plane's next page is named by the previous page's cursor.
  "plane-cursor": (url: URL) => (url.searchParams.has("cursor") ? url.pathname : null),
} as const;
export type ChainRule = keyof typeof CHAINS;

/** What one floor run is asked to fetch. */
export type FloorJob =
  /** The GETs a collection made (paths with their queries), replayed. */
  | { kind: "replay"; baseUrl: string; paths: string[]; headers: Record<string, string>; chain: ChainRule | null; concurrency?: number }
  /** GitHub's pages, walked as a client must (see githubFloor). */
  | { kind: "github"; baseUrl: string; token: string; repos: string[] };

export function runFloor(job: FloorJob): Promise<number> {
  return job.kind === "replay" ? replayFloor(job) : githubFloor(job.baseUrl, job.token, job.repos);
}

/**
 * The same GETs the agent made, replayed with plain undici (keep-alive, `concurrency` at once,
 * bodies parsed as JSON and dropped). Pages that a real client can only reach one after the other
 * (a list's page N+1 once page N said there is more; a cursor from the previous page) share a chain
 * key and are replayed in order, one chain per worker; every other URL on its own. Without a chain
 * rule every URL is independent, which is faster than any client could be. Answers the ms taken.
 */
async function replayFloor(job: Extract<FloorJob, { kind: "replay" }>): Promise<number> {
  const concurrency = job.concurrency ?? 8;
  const origin = new URL(job.baseUrl).origin;
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: concurrency * 2 });
  const chainOf = job.chain ? CHAINS[job.chain] : () => null;
  const chains = new Map<string, string[]>();
  const work: string[][] = [];
  for (const path of job.paths) {
    const url = `${origin}${path}`;
    const key = chainOf(new URL(url));
    if (key === null) work.push([url]);
    else if (chains.has(key)) chains.get(key)!.push(url);
    else {
      const chain = [url];
      chains.set(key, chain);
      work.push(chain);
    }
  }
  const t0 = performance.now();
  await pool(work, concurrency, async (chain) => {
    for (const url of chain) await (await undiciFetch(url, { headers: job.headers, dispatcher })).json();
  });
  const ms = performance.now() - t0;
  await dispatcher.close();
  return ms;
}

/**
 * GitHub's pages with plain undici (keep-alive, the agent's concurrency, no processing): each
 * repository's issue pages and pull pages following `rel="next"`, its repository object, then one
 * timeline page per issue and one blocked_by page per issue with blockers, 8 at a time.
 */
async function githubFloor(baseUrl: string, token: string, repos: string[]): Promise<number> {
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  const headers = { authorization: `Bearer ${token}`, accept: "application/vnd.github+json", "user-agent": "bench-floor" };
  const get = async (url: string) => {
    const res = await undiciFetch(url, { headers, dispatcher });
    const body = (await res.json()) as unknown[];
    return { body, next: /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1] ?? null };
  };
  const t0 = performance.now();
  for (const repo of repos) {
    const numbers: number[] = [];
    const blocked: number[] = [];
    let url: string | null = `${baseUrl}/repos/${repo}/issues?state=all&sort=updated&direction=asc&per_page=100`;
    while (url) {
      const page: { body: unknown[]; next: string | null } = await get(url);
      for (const i of page.body as { number: number; issue_dependencies_summary?: { total_blocked_by: number } }[]) {
        numbers.push(i.number);
        if ((i.issue_dependencies_summary?.total_blocked_by ?? 0) > 0) blocked.push(i.number);
      }
      url = page.next;
    }
    url = `${baseUrl}/repos/${repo}/pulls?state=all&sort=updated&direction=desc&per_page=100`;
    while (url) url = (await get(url)).next;
    await get(`${baseUrl}/repos/${repo}`).catch(() => undefined);
    await pool(numbers, 8, async (n) => void (await get(`${baseUrl}/repos/${repo}/issues/${n}/timeline?per_page=100`)));
    await pool(blocked, 8, async (n) => void (await get(`${baseUrl}/repos/${repo}/issues/${n}/dependencies/blocked_by?per_page=100`)));
  }
  const ms = performance.now() - t0;
  await dispatcher.close();
  return ms;
}
