import { describe, expect, it } from "vitest";
import { buildReportJson, composeDocument } from "../report/build.js";
import { TABLE_ROW_LIMIT } from "../report/document.js";
import { brief, reportInputs, sectionsByType, XSS_TITLE } from "../testing/report-fixtures.js";
import { escapeMarkdown } from "./escape.js";
import { renderMarkdown } from "./markdown.js";
import { MARKDOWN_PART_LIMIT, splitMarkdown } from "./markdown-split.js";
import type { ProgressSections } from "@pmo/analytics";

describe("escapeMarkdown", () => {
  it("makes markup, links, table breaks and block syntax inert", () => {
    expect(escapeMarkdown(XSS_TITLE)).toBe("&lt;img src=x onerror=alert(1)&gt;");
    expect(escapeMarkdown("a | b")).toBe("a \\| b");
    expect(escapeMarkdown("[x](javascript:alert(1))")).toBe("\\[x\\](javascript:alert(1))");
    expect(escapeMarkdown("# title")).toBe("\\# title");
    expect(escapeMarkdown("1. first")).toBe("1\\. first");
    expect(escapeMarkdown("2.5 d")).toBe("2.5 d");
    expect(escapeMarkdown("two\nlines")).toBe("two lines");
    expect(escapeMarkdown("*bold* _it_ `code`")).toBe("\\*bold\\* \\_it\\_ \\`code\\`");
  });
});

describe("renderMarkdown", () => {
  const md = renderMarkdown(composeDocument(buildReportJson(reportInputs("weekly"))));

  it("has the title, the headline numbers and every section", () => {
    expect(md.startsWith("# Weekly progress report\n")).toBe(true);
    expect(md).toContain("| **2** | **8** | **9** | **5** | **2.5 d** | **6 d** | **0** | **1** |");
    for (const h of ["## Summary", "## Velocity", "## Status breakdown", "## Cycle and lead time", "## Completed", "## Insights"]) expect(md).toContain(`\n${h}\n`);
  });

  it("never lets user text become markup, and links only http(s) urls", () => {
    expect(md).not.toContain("<img");
    expect(md).not.toContain("<b>");
    expect(md).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(md).toContain("[\\#4](https://example.test/items/4)");
    expect(md).not.toContain("](javascript:");
  });

  it("keeps every table row on one line with as many cells as the header", () => {
    const tables = md.split("\n\n").filter((b) => b.startsWith("|"));
    expect(tables.length).toBeGreaterThan(3);
    for (const t of tables) {
      const [header, ...rows] = t.split("\n");
      const cells = (line: string) => line.replace(/\\\|/g, "").split("|").length;
      for (const row of rows) expect(cells(row), row).toBe(cells(header!));
    }
  });
});

describe("splitMarkdown", () => {
  const many = Array.from({ length: TABLE_ROW_LIMIT + 40 }, (_, i) => brief(i + 10, { title: `A long title that fills the row ${"x".repeat(90)} ${i}`, status: "done", statusCategory: "done" }));
  const body: ProgressSections = { ...(sectionsByType.weekly as ProgressSections), completed: many, started: many };
  const md = renderMarkdown(composeDocument(buildReportJson(reportInputs("weekly", body))));
  const split = splitMarkdown(md, "weekly-2026-W45.md", "Weekly progress report");

  it("leaves a report under the limit whole", () => {
    expect(splitMarkdown("# short\n", "a.md", "short")).toEqual({ main: "# short\n", parts: [] });
  });

  it("cuts a long report into numbered parts that each fit GitHub's limit, linked both ways", () => {
    expect(md.length).toBeGreaterThan(MARKDOWN_PART_LIMIT);
    expect(split.parts.length).toBeGreaterThanOrEqual(1);
    expect(split.parts.map((p) => p.fileName)).toEqual(split.parts.map((_, i) => `weekly-2026-W45.part-${i + 2}.md`));
    for (const c of [split.main, ...split.parts.map((p) => p.content)]) expect(c.length).toBeLessThanOrEqual(MARKDOWN_PART_LIMIT);
    for (const p of split.parts) {
      expect(split.main).toContain(`(${p.fileName})`);
      expect(p.content).toContain("[report](weekly-2026-W45.md)");
    }
  });

  it("loses no line, and a table cut in two repeats its header in the next part", () => {
    const all = [split.main, ...split.parts.map((p) => p.content)].join("\n");
    for (let i = 0; i < TABLE_ROW_LIMIT; i += 37) expect(all).toContain(`fills the row ${"x".repeat(90)} ${i} |`);
    const second = split.parts[0]!.content.split("\n");
    const firstRow = second.findIndex((l) => l.startsWith("| [\\#"));
    expect(second[firstRow - 1]).toMatch(/^\|---/);
    expect(second[firstRow - 2]).toBe("| Item | Title | Platform | Status | Assignees | Points | ");
  });
});
