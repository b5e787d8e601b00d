import type { WorkItem } from "@pmo/contracts";
import { CollectedWriter, serializeEntry, type SnapshotEntry, type SnapshotWriter } from "@pmo/platform-agent";
import type { JobHandler } from "@pmo/runtime";
import { changeEvents } from "./change-events.js";
import { mapLimit } from "./concurrency.js";
import type { ClickUpContext } from "./context.js";
import { clickUpFailure } from "./failures.js";
import { msOrNull, resolveWorkspace, type ClickUpContainers, type ListInfo } from "./hierarchy.js";
import { cursorKey, needsFullFetch, type ListCursor } from "./list-cursor.js";
import { MalformedTaskError, normaliseTask } from "./normalise.js";
import { mergeSnapshots, type ListState } from "./snapshot-merge.js";
import { listTasks, updatedTasks } from "./task-pages.js";
import type { ClickUpTask } from "./task-shape.js";
import { trackedTimeByTask } from "./time-entries.js";

interface CollectInput {
  containers: ClickUpContainers | null;
  outputPath: string;
  eventsPath?: string;
}

/** One day of slack at the end of the time-entry window: entries logged "now" on a clock slightly ahead of ours. */
const TIME_WINDOW_SLACK_MS = 24 * 3_600_000;

/**
 * `collect`: every configured list, full (first run, or the periodic id sweep that finds
 * deletions) or incremental (one `date_updated_gt` query across the lists, merged into the last
 * snapshot by id), tracked time from the time entries, normalised, streamed to
 * `data/clickup-collected.json`, with what changed in `monitoring/clickup-events.json`.
 */
export function collectHandler(cu: ClickUpContext): JobHandler {
  const { env, client, settings } = cu;
  return async (ctx) => {
    const input = ctx.job.input as unknown as CollectInput;
    const signal = ctx.signal;
    const startedAt = new Date();
    const cursors = new Map<string, ListCursor | null>();
    const snapshots = new Map<string, Map<string, SnapshotEntry>>();
    for (const listId of input.containers?.listIds ?? []) {
      cursors.set(listId, (await env.cursors.get(cursorKey(listId))) as ListCursor | null);
      const snap = await env.snapshots.load(listId);
      if (snap) snapshots.set(listId, snap);
    }
    const full = new Set([...cursors].filter(([id, c]) => needsFullFetch(c, snapshots.has(id), settings, startedAt.getTime())).map(([id]) => id));
    const known = new Map([...cursors].filter(([id, c]) => c && !full.has(id)).map(([id, c]) => [id, c!.list] as const));
    const ws = await resolveWorkspace(client, input.containers, settings, env.credentialEnv, signal, known);
    const lists = new Map(ws.lists.map((l) => [l.id, l]));

    // Fetch: full lists page by page, the others in one query since their oldest watermark.
    const fetched = new Map<string, ClickUpTask>();
    const keep = (tasks: ClickUpTask[]) => {
      for (const t of tasks) if (lists.has(String(t.list?.id))) fetched.set(t.id, t);
      ctx.heartbeat();
    };
    let pages = 0;
    try {
      const counts = await mapLimit([...full], settings.concurrency, (id) => listTasks(client, id, keep, signal));
      pages += counts.reduce((a, b) => a + b, 0);
      const incremental = ws.lists.filter((l) => !full.has(l.id)).map((l) => l.id);
      if (incremental.length) {
        const since = Math.min(...incremental.map((id) => cursors.get(id)!.watermark)) - settings.clockSkewMs;
        pages += await updatedTasks(client, ws.teamId, incremental, since, keep, signal);
      }
    } catch (err) {
      throw clickUpFailure(err, { credentialEnv: env.credentialEnv });
    }

    const { lists: state, previous, deleted } = mergeSnapshots(ws.lists.map((l) => l.id), full, snapshots, fetched);

    let timeSpent: Map<string, number> | null = null;
    // The oldest task bounds the time-entry window (a loop: spreading 100k values into Math.min overflows the stack).
    let oldest = Infinity;
    for (const entries of state.values()) for (const e of entries.values()) oldest = Math.min(oldest, msOrNull(e.raw.date_created) ?? Infinity);
    if (oldest !== Infinity) {
      try {
        timeSpent = await trackedTimeByTask(client, ws, { start: oldest, end: Date.now() + TIME_WINDOW_SLACK_MS }, signal);
      } catch (err) {
        throw clickUpFailure(err, { credentialEnv: env.credentialEnv, container: `workspace (team) ${ws.teamId}` });
      }
    }

    const mode = full.size === ws.lists.length ? "full" : "incremental";
    const writer = new CollectedWriter(ctx.artifacts, ctx.job.workflowId, input.outputPath, { platform: "clickup", collectedAt: startedAt.toISOString(), mode, containers: ws.lists.map((l) => l.id) });
    const errors: { id: string | null; message: string }[] = [];
    const changed: WorkItem[] = [];
    const normaliseCtx = { lists, categorizer: cu.categorizer, timeSpent };
    // Each list's new snapshot streams beside the output (every item stringified once for both) and
    // replaces the old one only after the output is stored.
    const snapshotWriters: SnapshotWriter[] = [];
    try {
      for (const [listId, entries] of state) {
        const snapshot = env.snapshots.open(listId);
        snapshotWriters.push(snapshot);
        for (const [id, e] of entries) {
          let item: WorkItem;
          try {
            // Unchanged items are re-normalised too: tracked time and list metadata may have moved.
            item = normaliseTask(e.raw, normaliseCtx);
          } catch (err) {
            if (!(err instanceof MalformedTaskError)) throw err;
            errors.push({ id: err.taskId ?? id, message: err.message });
            continue;
          }
          if (fetched.has(id)) changed.push(item);
          const entry = serializeEntry(item, e.raw);
          await writer.addSerialized(entry);
          await snapshot.add(entry);
        }
      }
      const stats = { pages, fetched: fetched.size, deleted: deleted.length, errors: errors.length, lists: ws.lists.length, fullLists: full.size };
      const ref = await writer.finish({ deleted, errors, stats });
      for (const snapshot of snapshotWriters.splice(0)) await snapshot.finish();
      const artifacts = [ref];
      if (input.eventsPath) {
        const events = previous.size ? changeEvents(previous, changed, deleted, startedAt) : [];
        artifacts.push(await ctx.artifacts.put(ctx.job.workflowId, input.eventsPath, JSON.stringify({ platform: "clickup", collectedAt: startedAt.toISOString(), mode, events }, null, 2)));
      }
      await saveCursors(cu, ws.lists, state, full, cursors, startedAt.getTime());
      env.log.info({ mode, items: writer.items, ...stats }, "clickup collection finished");
      return { output: { mode, items: writer.items, ...stats }, artifacts };
    } catch (err) {
      await writer.abort(err);
      for (const snapshot of snapshotWriters) await snapshot.abort(err);
      throw err;
    }
  };
}

async function saveCursors(
  cu: ClickUpContext,
  lists: ListInfo[],
  state: Map<string, ListState>,
  full: Set<string>,
  before: Map<string, ListCursor | null>,
  now: number,
): Promise<void> {
  // The newest change seen in *any* list is a lower bound of ClickUp's clock at this collection, so
  // it is every list's watermark: a quiet list must not drag the next query back to its own last change.
  let newest = 0;
  for (const entries of state.values()) for (const e of entries.values()) newest = Math.max(newest, msOrNull(e.raw.date_updated) ?? 0);
  for (const list of lists) {
    const watermark = Math.max(before.get(list.id)?.watermark ?? 0, newest);
    const prev = before.get(list.id);
    const cursor: ListCursor = full.has(list.id) ? { watermark, lastFullAt: now, runsSinceFull: 0, list } : { watermark, lastFullAt: prev!.lastFullAt, runsSinceFull: prev!.runsSinceFull + 1, list };
    await cu.env.cursors.set(cursorKey(list.id), cursor);
  }
}
