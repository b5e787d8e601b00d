/**
 * A report as format-neutral content: headline numbers, then sections of paragraphs, lists, tables
 * and charts. The markdown, html and pdf renderers all draw this one document, so the three carry
 * the same sections, tables and charts.
 */
import type { ReportType } from "@pmo/contracts";
import type { ChartModel } from "../charts/model.js";

/** A piece of text, optionally a link (only http(s) links survive rendering). */
export interface Cell {
  text: string;
  href?: string | null;
}

export interface Column {
  label: string;
  align: "left" | "right";
}

export type Block =
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: Cell[] }
  | { kind: "table"; columns: Column[]; rows: Cell[][]; empty: string; /** Rows left out (see the json for all). */ omitted: number }
  | { kind: "chart"; chart: ChartModel };

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

/** A headline number: what the reader should see first (and what tests look for in every format). */
export interface Headline {
  id: string;
  label: string;
  value: string;
}

export interface ReportDocument {
  reportType: ReportType;
  title: string;
  subtitle: string;
  generatedAt: string;
  headline: Headline[];
  sections: Section[];
  /** How the numbers were computed: definitions version, calendar, data quality. */
  notes: string[];
}

/** Tables longer than this show their first rows and say how many more the json holds. */
export const TABLE_ROW_LIMIT = 500;

export function table(columns: Array<string | Column>, rows: Cell[][], empty: string): Block {
  const cols = columns.map((c) => (typeof c === "string" ? { label: c, align: "left" as const } : c));
  return { kind: "table", columns: cols, rows: rows.slice(0, TABLE_ROW_LIMIT), empty, omitted: Math.max(0, rows.length - TABLE_ROW_LIMIT) };
}

export const right = (label: string): Column => ({ label, align: "right" });
