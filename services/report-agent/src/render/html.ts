import { createHash } from "node:crypto";
import { chartToSvg } from "../charts/svg.js";
import type { Block, ReportDocument } from "../report/document.js";
import { safeUrl } from "./escape.js";
import { compileFormat, readTemplate } from "./templates.js";

const CSS = readTemplate("report.css");

/**
 * No script may run, nothing may load: the page is self-contained. The one inline stylesheet is allowed
 * by its hash (not 'unsafe-inline'); charts use SVG presentation attributes, which CSP does not govern.
 */
export const HTML_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(CSS).digest("base64")}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const page = compileFormat("report.html.hbs", "html");

function blockView(block: Block): Record<string, unknown> {
  switch (block.kind) {
    case "chart":
      return { kind: "chart", id: block.chart.id, svg: chartToSvg(block.chart), caption: `${block.chart.title}, in ${block.chart.unit}.` };
    case "table":
      return {
        ...block,
        rows: block.rows.map((row) => row.map((cell, i) => ({ text: cell.text, href: safeUrl(cell.href), align: block.columns[i]?.align ?? "left" }))),
      };
    case "list":
      return { ...block, items: block.items.map((c) => ({ text: c.text, href: safeUrl(c.href) })) };
    case "paragraph":
      return block;
  }
}

/** A self-contained html page: inline CSS, inline SVG charts, strict CSP, every document string escaped by handlebars. */
export function renderHtml(doc: ReportDocument): string {
  return page({
    ...doc,
    csp: HTML_CSP,
    css: CSS,
    sections: doc.sections.map((s) => ({ ...s, blocks: s.blocks.map(blockView) })),
  });
}
