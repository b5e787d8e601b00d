import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ProgressSections } from "@pmo/analytics";
import { buildReportJson, composeDocument } from "../report/build.js";
import { brief, reportInputs, sectionsByType } from "../testing/report-fixtures.js";
import { renderPdf } from "./pdf.js";

/** poppler-utils is installed by .ci/run; a developer machine without it skips these checks (CI never does). */
const hasPoppler = existsSync("/usr/bin/pdftotext") && existsSync("/usr/bin/pdftoppm");
const needPoppler = hasPoppler || Boolean(process.env.CI);
if (!needPoppler) console.warn("pdf text checks: skipped, poppler-utils (pdftotext, pdftoppm) is not installed (apt-get install poppler-utils; .ci/run installs it)");

function contentStreams(pdf: Uint8Array): string {
  const text = Buffer.from(pdf).toString("latin1");
  const out: string[] = [];
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = text.indexOf("endstream", start);
    try {
      out.push(inflateSync(Buffer.from(text.slice(start, end), "latin1")).toString("latin1"));
    } catch {
      // not a deflated stream (fonts are, but may fail on padding): skip
    }
  }
  return out.join("\n");
}

describe("renderPdf", () => {
  const weekly = renderPdf(composeDocument(buildReportJson(reportInputs("weekly"))));

  it("is a pdf whose charts are vector paths and text, not images", async () => {
    const pdf = await weekly;
    expect(Buffer.from(pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    const raw = Buffer.from(pdf).toString("latin1");
    expect(raw).not.toContain("/Subtype /Image");
    const ops = contentStreams(pdf);
    expect(ops.match(/ re\b/g)?.length ?? 0).toBeGreaterThan(10); // bars and table rules
    expect(ops).toMatch(/\bl\b[\s\S]*\bS\b/); // stroked paths (axes, lines)
  });

  it.skipIf(!needPoppler)("has selectable text: title, headline numbers, chart labels, and non-Latin titles (pdftotext)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pmo-pdf-"));
    const file = join(dir, "weekly.pdf");
    writeFileSync(file, await weekly);
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    for (const s of ["Weekly progress report", "Items completed", "2.5 d", "Median cycle time", "Status breakdown (items)", "Cycle-time distribution", "Ελληνικά", "Кириллица", "<img src=x onerror=alert(1)>", "page 1 of"]) {
      expect(text, s).toContain(s);
    }
    execFileSync("pdftoppm", ["-r", "40", "-png", file, join(dir, "page")]);
    const pages = Number(/page 1 of (\d+)/.exec(text)![1]);
    expect(readdirSync(dir).filter((f) => f.endsWith(".png"))).toHaveLength(pages);
  });

  it.skipIf(!needPoppler)("breaks long tables across pages, repeating the header", async () => {
    const many = Array.from({ length: 120 }, (_, i) => brief(i + 10, { title: `Row ${i}`, status: "done", statusCategory: "done" }));
    const pdf = await renderPdf(composeDocument(buildReportJson(reportInputs("weekly", { ...(sectionsByType.weekly as ProgressSections), completed: many }))));
    const dir = mkdtempSync(join(tmpdir(), "pmo-pdf-"));
    const file = join(dir, "long.pdf");
    writeFileSync(file, pdf);
    const pages = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).split("\f").filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(2);
    const withRows = pages.filter((p) => /Row \d+/.test(p));
    expect(withRows.length).toBeGreaterThan(1);
    for (const p of withRows) expect(p).toContain("Assignees");
    for (const i of [0, 60, 119]) expect(pages.join("\n")).toContain(`Row ${i}\n`);
  });
});
