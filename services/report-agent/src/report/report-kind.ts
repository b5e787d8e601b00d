import type { ProjectAnalytics, ReportSectionsBody } from "@pmo/analytics";
import type { ChartModel } from "../charts/model.js";
import type { Block, Section } from "./document.js";
import { formatDuration, formatNumber, formatPercent } from "./format.js";
import type { HeadlineNumber, ReportJson } from "./report-json.js";

export type DurationMode = "elapsed" | "business";

/** What a report type's composer gets besides its sections. */
export interface ReportContext {
  mode: DurationMode;
  /** The whole-project analysis (for history beyond the report's period), when the analyze job wrote it. */
  project: ProjectAnalytics | null;
}

/**
 * One report type: its headline numbers and charts (both written into the json), and its document
 * sections (drawn from the json, so every format shows what the json holds).
 */
export interface ReportKind<S extends ReportSectionsBody> {
  title(s: S): string;
  /** The dates the report is about, when they are not the analysis period (a sprint's own dates). */
  span?(s: S): { start: string; end: string };
  headline(s: S, ctx: ReportContext): HeadlineNumber[];
  charts(s: S, ctx: ReportContext): ChartModel[];
  sections(s: S, json: ReportJson, mode: DurationMode): Section[];
}

export function count(id: string, label: string, value: number | null): HeadlineNumber {
  return { id, label, value, unit: "items", display: formatNumber(value) };
}

export function points(id: string, label: string, value: number | null): HeadlineNumber {
  return { id, label, value, unit: "points", display: formatNumber(value) };
}

export function duration(id: string, label: string, ms: number | null, mode: DurationMode): HeadlineNumber {
  return { id, label, value: ms, unit: "ms", display: formatDuration(ms, mode) };
}

export function share(id: string, label: string, value: number | null): HeadlineNumber {
  return { id, label, value, unit: "ratio", display: formatPercent(value) };
}

/** The chart block for `id` from the json (the document never builds a chart the json lacks). */
export function chartBlock(json: ReportJson, id: string): Block[] {
  const chart = json.charts.find((c) => c.id === id);
  return chart ? [{ kind: "chart", chart }] : [];
}

export function section(id: string, title: string, blocks: Block[]): Section {
  return { id, title, blocks };
}
