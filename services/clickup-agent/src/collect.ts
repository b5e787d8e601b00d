import { ChangeLog, CollectedWriter, mapLimit, PlatformHttpError, type SnapshotRef } from "@pmo/platform-agent";
import type { JobHandler } from "@pmo/runtime";
import { CLICKUP_CHANGE_RULES } from "./change-events.js";
import type { ClickUpContext } from "./context.js";
import { clickUpFailure } from "./failures.js";
import { resolveWorkspace, type ClickUpContainers, type ListInfo, type Workspace } from "./hierarchy.js";
import { cursorKey, needsFullFetch, type ListCursor } from "./list-cursor.js";
import type { NormaliseContext } from "./normalise.js";
import { PageBudget } from "./page-budget.js";
import { mergeSnapshots } from "./snapshot-merge.js";
import { TaskEmitter } from "./task-emitter.js";
import { listTasks, updatedTasks } from "./task-pages.js";
import type { ClickUpTask } from "./task-shape.js";
import { trackedTimeByTask } from "./time-entries.js";
import { TimeInStatusReader } from "./time-in-status.js";

interface CollectInput {
  containers: ClickUpContainers | null;
  outputPath: string;
  eventsPath?: string;
}

/**
 * Task pages held at once, from their request to the end of their emission (see page-budget.ts).
 * Emitting a page costs more than fetching one, so the pages wait for the emission: enough of them
 * to keep it busy (the lists are fetched `concurrency` at a time), few enough that the parsed tasks
 * die young. @default 6 (~600 tasks, ~2.4 MB of parsed tasks)
 */
export const MAX_PAGES_HELD = 6;

/** One day of slack at the end of the time-entry window: entries logged "now" on a clock slightly ahead of ours. */
const TIME_WINDOW_SLACK_MS = 24 * 3_600_000;

/**
 * `collect`: every configured list, full (first run, or the periodic id sweep that finds
 * deletions) or incremental (one `date_updated_gt` query across the lists, merged into the last
 * snapshot by id), tracked time from the time entries, each page's time in status (one bulk
 * request per page, for the status history), normalised, streamed to
 * `data/clickup-collected.json`, with what changed in `monitoring/clickup-events.json`.
 * The lists fetched in full stream: each page is normalised and written while the next pages are
 * fetched, so the collection costs about its HTTP exchanges. The incremental lists' changes are
 * fetched after them, held, and merged into the snapshots (a task may have moved between lists).
 */
export function collectHandler(cu: ClickUpContext): JobHandler {
  const { env, client, settings } = cu;
  return async (ctx) => {
    const input = ctx.job.input as unknown as CollectInput;
    const signal = ctx.signal;
    const startedAt = new Date();
    const listIds = input.containers?.listIds ?? [];
    const cursors = new Map(await Promise.all(listIds.map(async (id) => [id, (await env.cursors.get(cursorKey(id))) as ListCursor | null] as const)));
    // The lists' snapshots: the outputs their cursors name, where those are still as stored.
    const snapshotted = await cu.snapshots.usable(new Map([...cursors].map(([id, c]) => [id, c?.snapshot])));
    const full = new Set([...cursors].filter(([id, c]) => needsFullFetch(c, snapshotted.has(id), settings, startedAt.getTime())).map(([id]) => id));
    const known = new Map([...cursors].filter(([id, c]) => c && !full.has(id)).map(([id, c]) => [id, c!.list] as const));
    const ws = await resolveWorkspace(client, input.containers, settings, env.credentialEnv, signal, known);
    const lists = new Map(ws.lists.map((l) => [l.id, l]));
    const mode = full.size === ws.lists.length ? "full" : "incremental";

    // Tracked time: one workspace-wide request, sent beside the task pages rather than after them.
    // Its window is all of history: a manual entry may be backdated before its task was created,
    // and the endpoint answers the whole window in one response either way.
    const normaliseCtx: NormaliseContext = { lists, categorizer: cu.categorizer, timeSpent: null };
    const timeReady = trackedTimeByTask(client, ws, { start: 0, end: Date.now() + TIME_WINDOW_SLACK_MS }, signal).then(
      (byTask) => void (normaliseCtx.timeSpent = byTask),
      (err) => {
        throw clickUpFailure(err, { credentialEnv: env.credentialEnv, container: `workspace (team) ${ws.teamId}` });
      },
    );
    timeReady.catch(() => undefined); // awaited below; a failure must not count as unhandled meanwhile

    const writer = new CollectedWriter(ctx.artifacts, ctx.job.workflowId, input.outputPath, { platform: "clickup", collectedAt: startedAt.toISOString(), mode, containers: ws.lists.map((l) => l.id) });
    const emitter = new TaskEmitter(writer, normaliseCtx);
    // A first run (no previous snapshot) reports no changes.
    const changes = new ChangeLog(CLICKUP_CHANGE_RULES, snapshotted.size > 0);
    const statusTimes = new TimeInStatusReader(client, env.log, env.credentialEnv);
    try {
      const context: RunContext = { cu, emitter, changes, statusTimes, timeReady, heartbeat: () => ctx.heartbeat(), signal };
      const run = mode === "full" ? await streamFullLists(context, ws.lists, snapshotted) : await mergeIncremental(context, ws, full, snapshotted, cursors);
      const deleted = [...run.previousIds].filter((id) => !run.present.has(id)).map((id) => ({ platform: "clickup" as const, id }));
      const { errors } = emitter;
      const stats = { pages: run.pages, fetched: run.fetched, deleted: deleted.length, errors: errors.length, lists: ws.lists.length, fullLists: full.size };
      const ref = await writer.finish({ deleted, errors, stats });
      const artifacts = [ref];
      if (input.eventsPath) {
        changes.deleted(deleted.map((ref) => ref.id), startedAt);
        artifacts.push(await ctx.artifacts.put(ctx.job.workflowId, input.eventsPath, JSON.stringify({ platform: "clickup", collectedAt: startedAt.toISOString(), mode, events: changes.events }, null, 2)));
      }
      // The output holds every configured list's tasks: it is their snapshot from now on.
      const snapshot: SnapshotRef = { workflowId: ctx.job.workflowId, path: input.outputPath, digest: ref.digest };
      await saveCursors(cu, ws.lists, emitter.newest, full, cursors, startedAt.getTime(), snapshot);
      env.log.info({ mode, items: writer.items, ...stats }, "clickup collection finished");
      return { output: { mode, items: writer.items, ...stats }, artifacts };
    } catch (err) {
      await writer.abort(err);
      throw err;
    }
  };
}

/** What both fetch strategies work with. */
interface RunContext {
  cu: ClickUpContext;
  emitter: TaskEmitter;
  /** What changed against the previous snapshots, decided for each fetched task as it is emitted. */
  changes: ChangeLog;
  statusTimes: TimeInStatusReader;
  /** Resolves once the tracked time is known (items are normalised after it). */
  timeReady: Promise<void>;
  heartbeat: () => void;
  signal: AbortSignal;
}

/** What a fetch strategy reports: the ids now in the lists (deletions are the rest), pages and tasks fetched. */
interface FetchRun {
  present: Set<string>;
  /** Every id of the previous snapshots. */
  previousIds: Iterable<string>;
  pages: number;
  fetched: number;
}

/**
 * Every list fetched in full, streamed. A sweep compares with the previous snapshots without holding
 * them: it keeps their ids and stamps, and the changed tasks' new items until the snapshots stream
 * past again.
 */
async function streamFullLists(run: RunContext, lists: ListInfo[], snapshotted: ReadonlyMap<string, SnapshotRef>): Promise<FetchRun> {
  const { cu, changes } = run;
  const previous = () => cu.snapshots.entries(snapshotted);
  await changes.remember(previous());
  const ids = lists.map((l) => l.id);
  const present = new Set<string>();
  const configured = new Set(ids);
  const pages = await streamLists(run, ids, configured, present);
  await recheckMissing(run, [...changes.previousIds()].filter((id) => !present.has(id)), configured, present);
  await changes.resolve(previous());
  return { present, previousIds: changes.previousIds(), pages, fetched: present.size };
}

/**
 * Fetches `listIds` page by page: each page's time in status is asked for as the page arrives, and
 * the page is emitted as soon as that and the tracked time are known, in the order pages arrive,
 * while the fetchers go on. A task listed under several lists (or as a subtask elsewhere) is
 * emitted once, under its home list, when that is one of `configured`; `present` gathers the ids
 * emitted. Each item is compared with the stamps the change log remembered.
 */
async function streamLists(run: RunContext, listIds: readonly string[], configured: ReadonlySet<string>, present: Set<string>): Promise<number> {
  const { cu, timeReady, heartbeat, signal } = run;
  const budget = new PageBudget(MAX_PAGES_HELD);
  let emitting: Promise<void> = timeReady;
  const onPage = (tasks: ClickUpTask[]) => {
    const page = startPage(run, tasks, configured, present);
    emitting = emitting.then(() => finishPage(run, page)).then(() => budget.give());
    // A failed emission stops the fetchers waiting for a page slot (and is awaited below).
    emitting.catch((err) => budget.fail(err));
    heartbeat();
  };
  let counts: number[];
  try {
    counts = await mapLimit(listIds, cu.settings.concurrency, (id) => listTasks(cu.client, id, onPage, signal, () => budget.take()));
  } catch (err) {
    throw clickUpFailure(err, { credentialEnv: cu.env.credentialEnv });
  }
  await emitting;
  return counts.reduce((a, b) => a + b, 0);
}

/** A page's tasks to emit (home list configured, not emitted yet), its time in status asked for at once. */
interface StartedPage {
  tasks: ClickUpTask[];
  timed: Promise<void>;
}

function startPage(run: RunContext, tasks: ClickUpTask[], configured: ReadonlySet<string>, present: Set<string>): StartedPage {
  const mine = tasks.filter((t) => configured.has(String(t.list?.id)) && !present.has(t.id));
  for (const t of mine) present.add(t.id);
  const timed = run.statusTimes.attach(mine, run.signal);
  timed.catch(() => undefined); // awaited in finishPage; a failure must not count as unhandled meanwhile
  return { tasks: mine, timed };
}

/** Emits a started page once its time in status is in (the tracked time is awaited by the caller). */
async function finishPage(run: RunContext, page: StartedPage): Promise<void> {
  await page.timed;
  for (const t of page.tasks) {
    const item = await run.emitter.emit(t);
    if (item) run.changes.compareToRemembered(item);
  }
}

/**
 * Previous tasks no page listed, asked for one by one before they are called deleted: a deletion
 * while a list is paged shifts the rest back, and the task at a page's edge is never listed.
 * Deletions are few, so this is a request or two. One still in a configured list is emitted.
 */
async function recheckMissing(run: RunContext, missing: string[], configured: ReadonlySet<string>, present: Set<string>): Promise<void> {
  const found: ClickUpTask[] = [];
  for (const id of missing) {
    try {
      found.push(await run.cu.client.get<ClickUpTask>("/task/:task_id", `/task/${encodeURIComponent(id)}`, { include_subtasks: false }, run.signal));
    } catch (err) {
      if (err instanceof PlatformHttpError && err.status === 404) continue; // deleted: TASK_001
      throw clickUpFailure(err, { credentialEnv: run.cu.env.credentialEnv });
    }
  }
  if (!found.length) return;
  const page = startPage(run, found, configured, present);
  await run.timeReady;
  await finishPage(run, page);
}

/**
 * The incremental lists in one query since their oldest watermark, merged into their snapshots;
 * the full lists, if any, streamed first, as in a sweep. The query comes after them: run first, it
 * would miss what changed while they are fetched, and their newer tasks would lift the watermark
 * past those changes. Only the query's tasks are held (each page's time in status asked for as it
 * arrives); a task the full lists' pages emitted already keeps that version: the same one, unless it
 * changed between the two requests, like a task changed during a sweep after its page was read.
 * The snapshots are then streamed through the merge (never held whole): unchanged tasks of the
 * incremental lists come from them, with the time in status stored in their raw task. The query's
 * tasks are compared with their snapshot entries in the merge; the full lists' tasks by stamp,
 * worded as the snapshots stream past once more.
 */
async function mergeIncremental(run: RunContext, ws: Workspace, full: ReadonlySet<string>, snapshotted: ReadonlyMap<string, SnapshotRef>, cursors: Map<string, ListCursor | null>): Promise<FetchRun> {
  const { cu, emitter, changes, statusTimes, timeReady, heartbeat, signal } = run;
  const { client, settings } = cu;
  const configured = new Set(ws.lists.map((l) => l.id));
  const present = new Set<string>();
  const previous = () => cu.snapshots.entries(snapshotted);
  let pages = 0;
  if (full.size > 0) {
    await changes.remember(previous());
    pages += await streamLists(run, [...full], configured, present);
  }
  const streamed = present.size;
  const fetched = new Map<string, ClickUpTask>();
  const timed: Promise<void>[] = [];
  const keep = (tasks: ClickUpTask[]) => {
    const mine = tasks.filter((t) => configured.has(String(t.list?.id)) && !present.has(t.id));
    for (const t of mine) fetched.set(t.id, t);
    const page = statusTimes.attach(mine, signal);
    page.catch(() => undefined); // awaited below, once every page is in
    timed.push(page);
    heartbeat();
  };
  try {
    const incremental = ws.lists.filter((l) => !full.has(l.id)).map((l) => l.id);
    const since = Math.min(...incremental.map((id) => cursors.get(id)!.watermark)) - settings.clockSkewMs;
    pages += await updatedTasks(client, ws.teamId, incremental, since, keep, signal);
  } catch (err) {
    throw clickUpFailure(err, { credentialEnv: cu.env.credentialEnv });
  }
  await Promise.all(timed);
  await timeReady;
  const merged = await mergeSnapshots({ listIds: ws.lists.map((l) => l.id), fullyFetched: full, snapshot: previous(), fetched, present }, async (_listId, task, isFetched, before) => {
    const item = await emitter.emit(task);
    if (item && isFetched) changes.compare(before, item);
  });
  if (full.size > 0) {
    // Only the full lists can miss a task (the incremental ones keep their snapshots): asked for, as in a sweep.
    await recheckMissing(run, [...merged.previousIds].filter((id) => !present.has(id)), configured, present);
    await changes.resolve(previous());
  }
  return { present, previousIds: merged.previousIds, pages, fetched: streamed + fetched.size };
}

async function saveCursors(cu: ClickUpContext, lists: ListInfo[], newest: number, full: Set<string>, before: Map<string, ListCursor | null>, now: number, snapshot: SnapshotRef): Promise<void> {
  // The newest change seen in *any* list is a lower bound of ClickUp's clock at this collection, so
  // it is every list's watermark: a quiet list must not drag the next query back to its own last change.
  for (const list of lists) {
    const watermark = Math.max(before.get(list.id)?.watermark ?? 0, newest);
    const prev = before.get(list.id);
    const cursor: ListCursor = full.has(list.id) ? { watermark, lastFullAt: now, runsSinceFull: 0, list, snapshot } : { watermark, lastFullAt: prev!.lastFullAt, runsSinceFull: prev!.runsSinceFull + 1, list, snapshot };
    await cu.env.cursors.set(cursorKey(list.id), cursor);
  }
}
