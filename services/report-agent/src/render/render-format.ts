import { posix } from "node:path";
import type { ReportFormat } from "@pmo/contracts";
import { composeDocument } from "../report/build.js";
import type { ReportJson } from "../report/report-json.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import { splitMarkdown } from "./markdown-split.js";
import { renderPdf } from "./pdf.js";

/** The files one (report, format) produces: the main one at `outputPath`, plus markdown parts when it is too long. */
export interface RenderedFile {
  path: string;
  content: string | Uint8Array;
  contentType: string;
}

export async function renderReport(json: ReportJson, format: ReportFormat, outputPath: string): Promise<RenderedFile[]> {
  switch (format) {
    case "json":
      return [{ path: outputPath, content: JSON.stringify(json, null, 2), contentType: "application/json" }];
    case "html":
      return [{ path: outputPath, content: renderHtml(composeDocument(json)), contentType: "text/html; charset=utf-8" }];
    case "pdf":
      return [{ path: outputPath, content: await renderPdf(composeDocument(json)), contentType: "application/pdf" }];
    case "markdown": {
      const dir = posix.dirname(outputPath);
      const split = splitMarkdown(renderMarkdown(composeDocument(json)), posix.basename(outputPath), json.title);
      return [
        { path: outputPath, content: split.main, contentType: "text/markdown; charset=utf-8" },
        ...split.parts.map((p) => ({ path: dir === "." ? p.fileName : `${dir}/${p.fileName}`, content: p.content, contentType: "text/markdown; charset=utf-8" })),
      ];
    }
  }
}
