import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ReportType } from "@pmo/contracts";
import { buildReportJson, composeDocument } from "../report/build.js";
import { reportInputs } from "../testing/report-fixtures.js";
import { HTML_CSP, renderHtml } from "./html.js";

const TYPES: ReportType[] = ["daily", "weekly", "monthly", "sprint", "velocity"];

describe("renderHtml", () => {
  const pages = Object.fromEntries(TYPES.map((t) => [t, renderHtml(composeDocument(buildReportJson(reportInputs(t))))])) as Record<ReportType, string>;

  it("is a self-contained page: no script, no external resource, a strict CSP whose style hash matches the inline css", () => {
    for (const html of Object.values(pages)) {
      expect(html.startsWith("<!doctype html>")).toBe(true);
      expect(html).not.toMatch(/<script|<link |<img |<iframe|\ssrc=|url\(/i);
      const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
      const hash = createHash("sha256").update(css).digest("base64");
      const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1]!;
      expect(meta.replace(/&#x27;/g, "'").replace(/&#x3D;/g, "=")).toBe(HTML_CSP);
      expect(HTML_CSP).toContain(`style-src 'sha256-${hash}'`);
      expect(HTML_CSP).toMatch(/^default-src 'none'/);
    }
  });

  it("escapes every user string: titles, names, insight text", () => {
    for (const html of Object.values(pages)) {
      expect(html).not.toContain("<img src=x");
      expect(html).not.toContain("<b>bold</b>");
    }
    expect(pages.weekly).toContain("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
    expect(pages.daily).toContain("Zoë &lt;b&gt;bold&lt;/b&gt;");
  });

  it("links only http(s) urls", () => {
    expect(pages.sprint).toContain('href="https://example.test/items/1"');
    expect(pages.sprint).not.toContain("javascript:alert(1)\"");
    expect(pages.sprint).not.toMatch(/href="javascript:/);
  });

  it("carries the headline numbers and one inline svg per chart of the report", () => {
    const charts: Record<ReportType, string[]> = { daily: ["load"], weekly: ["velocity", "status", "cycle-time"], monthly: ["velocity", "status", "cycle-time"], sprint: ["burndown", "burnup", "velocity"], velocity: ["by-sprint", "by-week"] };
    for (const t of TYPES) {
      expect(pages[t].match(/<svg /g)?.length, t).toBe(charts[t].length);
      for (const id of charts[t]) expect(pages[t]).toContain(`data-chart="${id}"`);
    }
    expect(pages.sprint).toMatch(/data-kpi="completion"><span class="value">45%<\/span>/);
    expect(pages.weekly).toMatch(/data-kpi="cycle-median"><span class="value">2.5 d<\/span>/);
  });
});
