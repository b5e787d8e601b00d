/**
 * One chart model for every output: the html renderer draws it as inline SVG, the pdf renderer with
 * pdfkit's vector API, the markdown renderer as a table of its values. Both drawings go through the
 * same layout (scene.ts), so a chart looks the same in html and pdf.
 */
import { z } from "zod";

export const ChartKind = {
  /** Vertical bars per category, one bar per series (velocity, cycle-time distribution). */
  Bars: "bars",
  /** Horizontal bars, one series (status breakdown, load per person). */
  HorizontalBars: "hbars",
  /** Lines over ordered categories (burndown, burnup). */
  Lines: "lines",
} as const;
export type ChartKind = (typeof ChartKind)[keyof typeof ChartKind];

export const ChartSeriesSchema = z.object({
  name: z.string(),
  /** One value per category; null leaves a gap (a day not reached yet). */
  values: z.array(z.number().finite().nullable()),
  /** A palette colour name (palette.ts), so both renderers use the same colour. */
  color: z.string(),
  dashed: z.boolean().default(false),
});
export type ChartSeries = z.input<typeof ChartSeriesSchema>;

export const ChartModelSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    kind: z.enum(Object.values(ChartKind) as [ChartKind, ...ChartKind[]]),
    title: z.string(),
    /** What the values count, e.g. "story points", "items", "days". */
    unit: z.string(),
    /** What a category is ("sprint", "week", "status", "day"): the header of the markdown table of values. */
    categoryLabel: z.string(),
    categories: z.array(z.string()),
    series: z.array(ChartSeriesSchema).min(1),
    /** Per-category colours for single-series bar charts (status breakdown). */
    categoryColors: z.array(z.string()).optional(),
  })
  .refine((c) => c.series.every((s) => s.values.length === c.categories.length), "every series needs one value per category");
export type ChartModel = z.input<typeof ChartModelSchema>;
