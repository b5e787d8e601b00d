import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markDeleted } from "../truth/mutate.js";
import { expectedDefaultOrder, startPlaneSandbox, type PlaneSandbox } from "./test-sandbox.js";

let sb: PlaneSandbox;
let listPath: string;

beforeAll(async () => {
  sb = await startPlaneSandbox({ itemsPerPlatform: 120 });
  listPath = `/api/v1/workspaces/${sb.slug}/projects/${sb.projectId}/work-items/`;
  // Deleted items stay in the truth but must never be served.
  const own = sb.ctx.truth.items.plane.filter((i) => i.container === sb.projectId);
  for (const victim of [own[0]!, own[10]!, own[own.length - 1]!]) markDeleted(victim, sb.ctx.now());
});
afterAll(() => sb.close());

/** Follows next_cursor while next_page_results says so; returns every page. */
async function walk(perPage: number, extra = ""): Promise<any[]> {
  const pages: any[] = [];
  let cursor: string | null = null;
  for (;;) {
    const query = `?per_page=${perPage}${extra}${cursor ? `&cursor=${cursor}` : ""}`;
    const answer = await sb.call("GET", `${listPath}${query}`);
    expect(answer.status).toBe(200);
    pages.push(answer.json);
    if (!answer.json.next_page_results) return pages;
    cursor = answer.json.next_cursor;
  }
}

describe("Plane cursor pagination of work items", () => {
  it.each([1, 7, 25, 100, 1000])("per_page=%i walks every live item exactly once, newest first", async (perPage) => {
    const expected = expectedDefaultOrder(sb.ctx.truth.items.plane, sb.projectId).map((i) => i.id);
    expect(expected.length).toBeGreaterThan(20);
    expect(sb.ctx.truth.items.plane.filter((i) => i.container === sb.projectId && i.deletedAt !== null)).toHaveLength(3);
    const pages = await walk(perPage);
    const ids = pages.flatMap((p) => p.results.map((r: any) => r.id));
    expect(ids).toEqual(expected);
    expect(pages).toHaveLength(Math.ceil(expected.length / perPage));
    pages.forEach((page, index) => {
      expect(page.total_pages).toBe(Math.ceil(expected.length / perPage));
      expect(page.next_cursor).toBe(`${perPage}:${index + 1}:0`);
      expect(page.prev_cursor).toBe(`${perPage}:${index - 1}:1`);
      expect(page.prev_page_results).toBe(index > 0);
    });
  });

  it("orders by -updated_at across pages", async () => {
    const live = expectedDefaultOrder(sb.ctx.truth.items.plane, sb.projectId);
    const creationIndex = new Map(sb.ctx.truth.items.plane.map((item, i) => [item.id, i]));
    const expected = [...live].sort((a, b) => b.updatedAt - a.updatedAt || creationIndex.get(a.id)! - creationIndex.get(b.id)!).map((i) => i.id);
    const ids = (await walk(9, "&order_by=-updated_at")).flatMap((p) => p.results.map((r: any) => r.id));
    expect(ids).toEqual(expected);
    const stamps = (await walk(50, "&order_by=-updated_at")).flatMap((p) => p.results.map((r: any) => Date.parse(r.updated_at)));
    expect(stamps).toEqual([...stamps].sort((a, b) => b - a));
  });

  it("orders by priority rank, not alphabetically", async () => {
    const priorities = (await walk(1000, "&order_by=priority"))[0].results.map((r: any) => r.priority);
    const rank = ["urgent", "high", "medium", "low", "none"];
    expect(priorities.map((p: string) => rank.indexOf(p))).toEqual([...priorities.map((p: string) => rank.indexOf(p))].sort((a, b) => a - b));
  });

  it("has exactly the envelope Plane's paginator writes", async () => {
    const total = expectedDefaultOrder(sb.ctx.truth.items.plane, sb.projectId).length;
    const first = await sb.call("GET", `${listPath}?per_page=10`);
    expect(Object.keys(first.json)).toEqual([
      "grouped_by", "sub_grouped_by", "total_count", "next_cursor", "prev_cursor", "next_page_results",
      "prev_page_results", "count", "total_pages", "total_results", "extra_stats", "results",
    ]);
    expect({ ...first.json, results: undefined }).toEqual({
      grouped_by: null, sub_grouped_by: null, total_count: total, next_cursor: "10:1:0", prev_cursor: "10:-1:1",
      next_page_results: true, prev_page_results: false, count: 10, total_pages: Math.ceil(total / 10),
      total_results: total, extra_stats: null, results: undefined,
    });
  });

  it("round-trips cursors: prev_cursor of page 2 is page 1, and the last page says there is no next", async () => {
    const first = await sb.call("GET", `${listPath}?per_page=10`);
    const second = await sb.call("GET", `${listPath}?per_page=10&cursor=${first.json.next_cursor}`);
    expect(second.json.prev_page_results).toBe(true);
    const back = await sb.call("GET", `${listPath}?per_page=10&cursor=${second.json.prev_cursor}`);
    expect(back.json.results).toEqual(first.json.results);
    const total = first.json.total_count;
    const last = await sb.call("GET", `${listPath}?per_page=10&cursor=10:${first.json.total_pages - 1}:0`);
    expect(last.json.count).toBe(total - 10 * (first.json.total_pages - 1));
    expect(last.json.next_page_results).toBe(false);
    const beyond = await sb.call("GET", `${listPath}?per_page=10&cursor=10:${first.json.total_pages}:0`);
    expect(beyond.json).toMatchObject({ count: 0, results: [], next_page_results: false, total_count: total });
  });

  it("uses the cursor's page with the request's per_page (the cursor's own size is ignored)", async () => {
    const byCursorSize = await sb.call("GET", `${listPath}?per_page=5&cursor=50:1:0`);
    const plain = await sb.call("GET", `${listPath}?per_page=5&cursor=5:1:0`);
    expect(byCursorSize.json.results).toEqual(plain.json.results);
    expect(byCursorSize.json.next_cursor).toBe("5:2:0");
  });

  it.each([
    ["per_page=1001", 400, { detail: "Invalid per_page value. Cannot exceed 1000." }],
    ["per_page=abc", 400, { detail: "Invalid per_page parameter." }],
    ["per_page=2.5", 400, { detail: "Invalid per_page parameter." }],
    ["per_page=10&cursor=oops", 400, { detail: "Invalid cursor parameter." }],
    ["per_page=10&cursor=10:1", 400, { detail: "Invalid cursor parameter." }],
    ["per_page=10&cursor=10:-1:0", 400, { detail: "Error in parsing" }],
    ["per_page=0", 500, { error: "Something went wrong please try again later" }],
    ["order_by=no_such_field", 500, { error: "Something went wrong please try again later" }],
  ])("answers %s with Plane's error", async (query, status, body) => {
    const answer = await sb.call("GET", `${listPath}?${query}`);
    expect(answer.status).toBe(status);
    expect(answer.json).toEqual(body);
  });

  it("paginates the other lists with the same envelope", async () => {
    const base = `/api/v1/workspaces/${sb.slug}/projects/${sb.projectId}`;
    for (const path of ["/states/", "/labels/", "/cycles/", "/modules/"]) {
      const answer = await sb.call("GET", `${base}${path}?per_page=2`);
      expect(answer.status).toBe(200);
      expect(answer.json.count).toBe(Math.min(2, answer.json.total_count));
      expect(answer.json.next_cursor).toBe("2:1:0");
    }
    const projects = await sb.call("GET", `/api/v1/workspaces/${sb.slug}/projects/`);
    expect(projects.json.results.map((p: any) => p.id)).toEqual(sb.ctx.truth.plane.projects.map((p) => p.id));
  });
});
