import type { PlatformEvent } from "@pmo/contracts";
import type { PolledChanges } from "@pmo/platform-agent";
import type { PlaneAgentContext } from "./agent-context.js";
import { projectPath } from "./catalog.js";
import type { PlaneWorkItem } from "./plane-types.js";

const LIST = "GET projects/:id/work-items/";

/** Every (workspace, project) of the configured projects, once. */
function configuredProjects(agent: PlaneAgentContext): { slug: string; projectId: string }[] {
  const seen = new Map<string, { slug: string; projectId: string }>();
  for (const p of Object.values(agent.env.projects.projects)) for (const projectId of p.plane?.projectIds ?? []) seen.set(`${p.plane!.workspace}/${projectId}`, { slug: p.plane!.workspace, projectId });
  return [...seen.values()];
}

/**
 * What changed on Plane since the poll watermark (for the kit's webhook-silence poller). Plane has
 * no updated-since filter, so each project's work items are paged newest change first
 * (`order_by=-updated_at`) and paging stops at the watermark: a quiet project costs one request.
 */
export async function pollPlaneChanges(agent: PlaneAgentContext, since: string | null, signal: AbortSignal): Promise<PolledChanges> {
  const { client, settings } = agent;
  const stopBefore = since === null ? null : Date.parse(since);
  let watermark = since;
  const events: PlatformEvent[] = [];
  for (const { slug, projectId } of configuredProjects(agent)) {
    // The first poll only learns Plane's clock: the newest change is enough.
    const perPage = stopBefore === null ? 1 : settings.pageSize;
    pages: for await (const page of client.pages<PlaneWorkItem>(`${projectPath(slug, projectId)}/work-items/`, LIST, { order_by: "-updated_at" }, perPage, signal)) {
      for (const w of page.results) {
        if (watermark === null || Date.parse(w.updated_at) > Date.parse(watermark)) watermark = w.updated_at;
        if (stopBefore !== null && Date.parse(w.updated_at) < stopBefore) break pages;
        events.push(changeEvent(w, stopBefore));
        if (stopBefore === null) break pages;
      }
    }
  }
  return { events, watermark };
}

/** A polled work item → the event a webhook would have carried, as far as the listing tells (it has no diff). */
function changeEvent(w: PlaneWorkItem, since: number | null): PlatformEvent {
  const after = (at: string | null) => at !== null && since !== null && Date.parse(at) >= since;
  const type = after(w.created_at) ? "item.created" : after(w.completed_at) ? "status.changed" : "item.updated";
  return {
    id: `plane:poll:${w.id}:${w.updated_at}`,
    platform: "plane",
    type,
    itemRef: { platform: "plane", id: w.id },
    at: new Date(Date.parse(w.updated_at)).toISOString(),
    actor: null,
    changes: w.state ? [{ field: "state", from: null, to: w.state }] : [],
  };
}
