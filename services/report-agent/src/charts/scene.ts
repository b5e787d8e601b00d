/**
 * Chart layout: turns a ChartModel into positioned primitives (rectangles, lines, polylines, text)
 * in a width × height box. The SVG and PDF renderers only translate these primitives, so the two
 * drawings of one chart are the same picture.
 */
import { ChartKind, type ChartModel } from "./model.js";
import { PALETTE, colorOf } from "./palette.js";
import { niceTicks, tickLabel } from "./scale.js";

export type TextAnchor = "start" | "middle" | "end";

export type Shape =
  | { type: "rect"; x: number; y: number; w: number; h: number; fill: string }
  | { type: "line"; x1: number; y1: number; x2: number; y2: number; stroke: string; width: number; dashed?: boolean }
  | { type: "polyline"; points: Array<[number, number]>; stroke: string; width: number; dashed?: boolean }
  | { type: "circle"; cx: number; cy: number; r: number; fill: string }
  /** `y` is the text's baseline. */
  | { type: "text"; x: number; y: number; text: string; size: number; anchor: TextAnchor; fill: string; bold?: boolean };

export interface Scene {
  width: number;
  height: number;
  title: string;
  shapes: Shape[];
}

/** @default 640 × 260 points (pdf) / CSS pixels (svg, scaled to the page width). */
export const DEFAULT_CHART_SIZE = { width: 640, height: 260 } as const;

const FONT = 10;
const TITLE_FONT = 12;
/** Average glyph width as a share of the font size, for fitting labels without measuring fonts. */
const GLYPH = 0.58;

interface Plot {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export function layoutChart(model: ChartModel, size: { width: number; height: number } = DEFAULT_CHART_SIZE): Scene {
  const shapes: Shape[] = [];
  const { width, height } = size;
  shapes.push({ type: "text", x: 0, y: TITLE_FONT + 2, text: `${model.title} (${model.unit})`, size: TITLE_FONT, anchor: "start", fill: PALETTE.ink, bold: true });
  const legendRows = model.series.length > 1 ? 1 : 0;
  const top = TITLE_FONT + 14 + legendRows * 16;
  if (legendRows) drawLegend(model, shapes, TITLE_FONT + 20, width);
  const max = Math.max(0, ...model.series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  if (model.kind === ChartKind.HorizontalBars) {
    layoutHorizontalBars(model, shapes, { left: 0, top, right: width, bottom: height }, max);
  } else {
    const integer = model.series.every((s) => s.values.every((v) => v === null || Number.isInteger(v)));
    const ticks = niceTicks(max, { integer });
    const labelWidth = Math.max(...ticks.map((t) => tickLabel(t).length)) * FONT * GLYPH + 8;
    // Line charts put a label under the last point, centred on the plot's edge: leave room for its half.
    const lastLabel = model.kind === ChartKind.Lines ? Math.min(14, model.categories.at(-1)?.length ?? 0) * FONT * GLYPH * 0.5 : 0;
    const plot = { left: labelWidth, top, right: width - Math.max(8, lastLabel + 2), bottom: height - FONT - 10 };
    drawValueAxis(shapes, plot, ticks);
    if (model.kind === ChartKind.Bars) layoutBars(model, shapes, plot, ticks.at(-1)!);
    else layoutLines(model, shapes, plot, ticks.at(-1)!);
  }
  return { width, height, title: model.title, shapes };
}

function drawLegend(model: ChartModel, shapes: Shape[], y: number, width: number): void {
  let x = 0;
  for (const s of model.series) {
    const label = fit(s.name, width / model.series.length - 24);
    if (s.dashed) shapes.push({ type: "line", x1: x, y1: y - 4, x2: x + 14, y2: y - 4, stroke: colorOf(s.color), width: 2, dashed: true });
    else shapes.push({ type: "rect", x, y: y - 9, w: 10, h: 10, fill: colorOf(s.color) });
    shapes.push({ type: "text", x: x + 18, y, text: label, size: FONT, anchor: "start", fill: PALETTE.ink });
    x += 18 + label.length * FONT * GLYPH + 16;
  }
}

function drawValueAxis(shapes: Shape[], plot: Plot, ticks: number[]): void {
  const top = ticks.at(-1)!;
  for (const t of ticks) {
    const y = plot.bottom - (t / top) * (plot.bottom - plot.top);
    shapes.push({ type: "line", x1: plot.left, y1: y, x2: plot.right, y2: y, stroke: t === 0 ? PALETTE.axis : PALETTE.grid, width: t === 0 ? 1 : 0.5 });
    shapes.push({ type: "text", x: plot.left - 6, y: y + FONT * 0.35, text: tickLabel(t), size: FONT, anchor: "end", fill: PALETTE.muted });
  }
}

/** Category labels under the plot, thinned so they never overlap. */
function drawCategoryLabels(model: ChartModel, shapes: Shape[], plot: Plot, centerOf: (i: number) => number, slot: number): void {
  const longest = Math.max(1, ...model.categories.map((c) => c.length));
  const every = Math.max(1, Math.ceil((Math.min(longest, 14) * FONT * GLYPH + 6) / slot));
  model.categories.forEach((c, i) => {
    if (i % every !== 0) return;
    shapes.push({ type: "text", x: centerOf(i), y: plot.bottom + FONT + 4, text: fit(c, slot * every - 4), size: FONT, anchor: "middle", fill: PALETTE.muted });
  });
}

function layoutBars(model: ChartModel, shapes: Shape[], plot: Plot, top: number): void {
  const n = Math.max(1, model.categories.length);
  const band = (plot.right - plot.left) / n;
  // A lone bar (a weekly report's one week) stays bar-shaped instead of filling the plot.
  const groupWidth = Math.min(band * 0.7, 56 * model.series.length);
  const barWidth = groupWidth / model.series.length;
  const valueLabels = barWidth >= 16;
  model.series.forEach((s, si) => {
    s.values.forEach((v, i) => {
      if (v === null) return;
      const h = (v / top) * (plot.bottom - plot.top);
      const x = plot.left + band * i + (band - groupWidth) / 2 + barWidth * si;
      const fill = colorOf(model.series.length === 1 && model.categoryColors?.[i] ? model.categoryColors[i]! : s.color);
      shapes.push({ type: "rect", x, y: plot.bottom - h, w: Math.max(1, barWidth - 1), h, fill });
      if (valueLabels) shapes.push({ type: "text", x: x + barWidth / 2, y: plot.bottom - h - 3, text: tickLabel(v), size: FONT - 1, anchor: "middle", fill: PALETTE.ink });
    });
  });
  drawCategoryLabels(model, shapes, plot, (i) => plot.left + band * i + band / 2, band);
}

function layoutLines(model: ChartModel, shapes: Shape[], plot: Plot, top: number): void {
  const n = model.categories.length;
  const step = n > 1 ? (plot.right - plot.left) / (n - 1) : 0;
  const xOf = (i: number) => (n > 1 ? plot.left + step * i : (plot.left + plot.right) / 2);
  const yOf = (v: number) => plot.bottom - (v / top) * (plot.bottom - plot.top);
  for (const s of model.series) {
    const stroke = colorOf(s.color);
    // A null splits the line: the part of a sprint not reached yet is left blank, not drawn as zero.
    let run: Array<[number, number]> = [];
    const flush = () => {
      if (run.length === 1) shapes.push({ type: "circle", cx: run[0]![0], cy: run[0]![1], r: 2.5, fill: stroke });
      else if (run.length > 1) shapes.push({ type: "polyline", points: run, stroke, width: 2, dashed: s.dashed ?? false });
      run = [];
    };
    s.values.forEach((v, i) => (v === null ? flush() : run.push([xOf(i), yOf(v)])));
    flush();
  }
  drawCategoryLabels(model, shapes, plot, xOf, n > 1 ? step : plot.right - plot.left);
}

function layoutHorizontalBars(model: ChartModel, shapes: Shape[], area: Plot, max: number): void {
  const series = model.series[0]!;
  const n = Math.max(1, model.categories.length);
  const labelWidth = Math.min(160, Math.max(...model.categories.map((c) => c.length), 4) * FONT * GLYPH + 12);
  const valueWidth = Math.max(...series.values.map((v) => tickLabel(v ?? 0).length), 1) * FONT * GLYPH + 8;
  const plot = { left: area.left + labelWidth, top: area.top, right: area.right - valueWidth, bottom: area.bottom };
  const band = (plot.bottom - plot.top) / n;
  const barHeight = Math.min(22, band * 0.7);
  shapes.push({ type: "line", x1: plot.left, y1: plot.top, x2: plot.left, y2: plot.bottom, stroke: PALETTE.axis, width: 1 });
  model.categories.forEach((c, i) => {
    const v = series.values[i] ?? 0;
    const y = plot.top + band * i + (band - barHeight) / 2;
    const w = max > 0 ? (v / max) * (plot.right - plot.left) : 0;
    const fill = colorOf(model.categoryColors?.[i] ?? series.color);
    shapes.push({ type: "text", x: plot.left - 6, y: y + barHeight / 2 + FONT * 0.35, text: fit(c, labelWidth - 6), size: FONT, anchor: "end", fill: PALETTE.ink });
    if (w > 0) shapes.push({ type: "rect", x: plot.left, y, w, h: barHeight, fill });
    shapes.push({ type: "text", x: plot.left + w + 4, y: y + barHeight / 2 + FONT * 0.35, text: tickLabel(v), size: FONT, anchor: "start", fill: PALETTE.ink });
  });
}

/** Shortens `text` with an ellipsis to fit about `width` units at the label font size. */
function fit(text: string, width: number): string {
  const chars = Math.max(3, Math.floor(width / (FONT * GLYPH)));
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}
