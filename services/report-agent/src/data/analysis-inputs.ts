import type { AnalyzeOptions } from "@pmo/analytics";
import type { Platform, PlatformEvent, WorkItem } from "@pmo/contracts";
import type { ArtifactStore } from "@pmo/runtime";
import type { DataQuality } from "../report/report-json.js";
import type { AnalyticsSettings } from "../settings.js";
import { readCollected, readEvents, type CollectedPlatform } from "./collected.js";

/** Everything an analysis runs over: the valid items of every platform, their events, and the instant they are "as of". */
export interface AnalysisInputs {
  platforms: Platform[];
  collected: CollectedPlatform[];
  items: WorkItem[];
  /** Null when no platform left an events file. */
  events: PlatformEvent[] | null;
  /** When the data was collected (the latest collection): "now" for every metric. */
  asOf: Date;
  dataQuality: DataQuality;
}

export async function loadAnalysisInputs(artifacts: ArtifactStore, workflowId: string, collectedPaths: readonly string[], fallbackNow: Date): Promise<AnalysisInputs> {
  const collected = await Promise.all(collectedPaths.map((p) => readCollected(artifacts, workflowId, p)));
  const platforms = collected.map((c) => c.platform);
  const eventFiles = (await Promise.all(platforms.map((p) => readEvents(artifacts, workflowId, p)))).filter((e) => e !== null);
  const latest = Math.max(...collected.map((c) => Date.parse(c.collectedAt)));
  return {
    platforms,
    collected,
    items: collected.flatMap((c) => c.items),
    events: eventFiles.length ? eventFiles.flat() : null,
    asOf: Number.isFinite(latest) ? new Date(latest) : fallbackNow,
    dataQuality: {
      invalidItems: Object.fromEntries(collected.map((c) => [c.platform, c.invalidCount])),
      analysedItems: Object.fromEntries(collected.map((c) => [c.platform, c.items.length])),
    },
  };
}

export function analyzeOptions(inputs: AnalysisInputs, settings: AnalyticsSettings): AnalyzeOptions {
  return {
    now: inputs.asOf,
    ...(settings.calendar ? { calendar: settings.calendar } : {}),
    thresholds: settings.thresholds,
    ...(inputs.events ? { events: inputs.events } : {}),
  };
}
