import type { Block, Cell, ReportDocument } from "../report/document.js";
import { escapeMarkdown, safeUrl } from "./escape.js";
import { compileFormat } from "./templates.js";
import { tickLabel } from "../charts/scale.js";

const page = compileFormat("report.md.hbs", "md", { noEscape: true });

const cell = (c: Cell) => ({ text: escapeMarkdown(c.text), href: safeUrl(c.href)?.replace(/[()\s]/g, encodeURIComponent) ?? null });

/**
 * The view the markdown template sees: every user string already escaped for markdown (the template
 * runs with noEscape), so nothing a platform returns can become markup.
 */
function blockView(block: Block): Record<string, unknown> {
  switch (block.kind) {
    case "paragraph":
      return { kind: "paragraph", text: escapeMarkdown(block.text) };
    case "list":
      return { kind: "list", items: block.items.map(cell) };
    case "table":
      return { kind: "table", columns: block.columns.map((c) => ({ ...c, label: escapeMarkdown(c.label) })), rows: block.rows.map((r) => r.map(cell)), empty: escapeMarkdown(block.empty), omitted: block.omitted };
    case "chart": {
      // Markdown has no portable charts: the chart's values as a table.
      const { chart } = block;
      return {
        kind: "chart",
        title: escapeMarkdown(chart.title),
        unit: escapeMarkdown(chart.unit),
        categoryHeader: escapeMarkdown(chart.categoryLabel),
        series: chart.series.map((s) => ({ name: escapeMarkdown(s.name) })),
        rows: chart.categories.map((c, i) => [escapeMarkdown(c), ...chart.series.map((s) => (s.values[i] === null || s.values[i] === undefined ? "–" : tickLabel(s.values[i]!)))]),
      };
    }
  }
}

/** The whole report as one markdown string (markdown-split.ts cuts it into parts when it is too long). */
export function renderMarkdown(doc: ReportDocument): string {
  return page({
    title: escapeMarkdown(doc.title),
    subtitle: escapeMarkdown(doc.subtitle),
    generatedAt: doc.generatedAt,
    headline: doc.headline.map((h) => ({ label: escapeMarkdown(h.label), value: escapeMarkdown(h.value) })),
    sections: doc.sections.map((s) => ({ title: escapeMarkdown(s.title), blocks: s.blocks.map(blockView) })),
    notes: doc.notes.map(escapeMarkdown),
  }).replace(/\n{3,}/g, "\n\n");
}
