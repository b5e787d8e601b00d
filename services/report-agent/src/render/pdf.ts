import PDFDocument from "pdfkit";
import { drawChart, type PdfFonts } from "../charts/pdf.js";
import { DEFAULT_CHART_SIZE } from "../charts/scene.js";
import { PALETTE } from "../charts/palette.js";
import type { Block, Cell, Column, ReportDocument } from "../report/document.js";
import { safeUrl } from "./escape.js";
import { pdfFonts } from "./pdf-fonts.js";

const FONTS: PdfFonts = { regular: "body", bold: "body-bold" };
const MARGIN = 48;
const TABLE_FONT = 8.5;
const CELL_PAD = 4;
/** A table cell shows at most this many lines (long titles end in an ellipsis; the html and json keep them whole). */
const CELL_LINES = 2;

/**
 * The report as a pdf drawn with pdfkit: real text (selectable, searchable), the same headline,
 * sections, tables and charts as the html, charts as vector paths.
 */
export async function renderPdf(doc: ReportDocument): Promise<Uint8Array> {
  const pdf = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: doc.title, Subject: doc.subtitle, Author: "pmo report-agent", Creator: "pmo report-agent", CreationDate: new Date(doc.generatedAt) },
    lang: "en",
    displayTitle: true,
  });
  const fonts = pdfFonts();
  pdf.registerFont(FONTS.regular, fonts.regular);
  pdf.registerFont(FONTS.bold, fonts.bold);
  const chunks: Buffer[] = [];
  pdf.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    pdf.on("end", resolve);
    pdf.on("error", reject);
  });
  new PdfWriter(pdf).write(doc);
  pdf.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}

class PdfWriter {
  private readonly width: number;
  private y = MARGIN;

  constructor(private readonly pdf: PDFKit.PDFDocument) {
    this.width = pdf.page.width - 2 * MARGIN;
  }

  write(doc: ReportDocument): void {
    this.text(doc.title, { font: FONTS.bold, size: 20 });
    this.text(doc.subtitle, { size: 10, color: PALETTE.muted, gap: 14 });
    this.headline(doc);
    for (const section of doc.sections) {
      // A heading never ends a page alone: it stays with (the start of) its first block.
      const first = section.blocks[0];
      this.ensure(40 + (first?.kind === "chart" ? this.chartHeight : 40));
      this.y += 10;
      this.text(section.title, { font: FONTS.bold, size: 14, gap: 2 });
      this.pdf.moveTo(MARGIN, this.y).lineTo(MARGIN + this.width, this.y).lineWidth(0.5).stroke(PALETTE.grid);
      this.y += 8;
      for (const block of section.blocks) this.block(block);
    }
    this.y += 12;
    for (const note of doc.notes) this.text(note, { size: 8, color: PALETTE.muted, gap: 2 });
    this.text(`Generated ${doc.generatedAt} by pmo report-agent.`, { size: 8, color: PALETTE.muted });
    this.pageNumbers();
  }

  private headline(doc: ReportDocument): void {
    const perRow = 4;
    const gap = 8;
    const w = (this.width - gap * (perRow - 1)) / perRow;
    const h = 46;
    doc.headline.forEach((kpi, i) => {
      if (i % perRow === 0) {
        if (i > 0) this.y += h + gap;
        this.ensure(h);
      }
      const x = MARGIN + (i % perRow) * (w + gap);
      this.pdf.roundedRect(x, this.y, w, h, 4).lineWidth(0.75).stroke(PALETTE.grid);
      this.pdf.font(FONTS.bold).fontSize(15).fillColor(PALETTE.ink).text(kpi.value, x + 8, this.y + 7, { width: w - 16, lineBreak: false, ellipsis: true });
      this.pdf.font(FONTS.regular).fontSize(8).fillColor(PALETTE.muted).text(kpi.label, x + 8, this.y + 28, { width: w - 16, lineBreak: false, ellipsis: true });
    });
    if (doc.headline.length) this.y += h + 10;
  }

  private block(block: Block): void {
    switch (block.kind) {
      case "paragraph":
        this.text(block.text, { size: 10, gap: 6 });
        return;
      case "list":
        for (const item of block.items) this.text(`•  ${item.text}`, { size: 10, gap: 2, link: safeUrl(item.href) });
        this.y += 4;
        return;
      case "table":
        this.table(block);
        return;
      case "chart": {
        this.ensure(this.chartHeight + 8);
        this.y += drawChart(this.pdf, block.chart, MARGIN, this.y, this.width, FONTS) + 12;
        return;
      }
    }
  }

  private table(block: Extract<Block, { kind: "table" }>): void {
    if (block.rows.length === 0) {
      this.text(block.empty, { size: 9, color: PALETTE.muted, gap: 6 });
      return;
    }
    const widths = this.columnWidths(block.columns, block.rows);
    const header = block.columns.map((c) => ({ text: c.label }));
    this.ensure(40);
    this.row(header, block.columns, widths, true);
    for (const row of block.rows) {
      const h = this.rowHeight(row, widths);
      if (this.y + h > this.bottom) {
        this.newPage();
        this.row(header, block.columns, widths, true);
      }
      this.row(row, block.columns, widths, false);
    }
    if (block.omitted) this.text(`… and ${block.omitted} more rows (all of them are in the json report).`, { size: 8, color: PALETTE.muted });
    this.y += 8;
  }

  private row(cells: Cell[], columns: Column[], widths: number[], header: boolean): void {
    const h = this.rowHeight(cells, widths, header);
    if (header) this.pdf.rect(MARGIN, this.y, this.width, h).fill("#f1f5f9");
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const w = widths[i]!;
      const href = header ? null : safeUrl(cell.href);
      this.pdf
        .font(header ? FONTS.bold : FONTS.regular)
        .fontSize(TABLE_FONT)
        .fillColor(href ? PALETTE.blue : PALETTE.ink)
        .text(cell.text, x + CELL_PAD, this.y + CELL_PAD, { width: w - 2 * CELL_PAD, height: h - CELL_PAD, ellipsis: true, align: columns[i]?.align ?? "left", ...(href ? { link: href } : {}) });
      x += w;
    });
    this.y += h;
    this.pdf.moveTo(MARGIN, this.y).lineTo(MARGIN + this.width, this.y).lineWidth(0.5).stroke(PALETTE.grid);
  }

  private rowHeight(cells: Cell[], widths: number[], header = false): number {
    this.pdf.font(header ? FONTS.bold : FONTS.regular).fontSize(TABLE_FONT);
    const line = this.pdf.currentLineHeight(true);
    const lines = Math.max(1, ...cells.map((c, i) => Math.ceil(this.pdf.heightOfString(c.text || " ", { width: widths[i]! - 2 * CELL_PAD }) / line)));
    return Math.min(lines, CELL_LINES) * line + 2 * CELL_PAD;
  }

  /** Natural widths (from the header and the first rows); when they overflow, the wide columns share what the narrow ones leave. */
  private columnWidths(columns: Column[], rows: Cell[][]): number[] {
    this.pdf.fontSize(TABLE_FONT);
    const natural = columns.map((c, i) => {
      this.pdf.font(FONTS.bold);
      let w = this.pdf.widthOfString(c.label);
      this.pdf.font(FONTS.regular);
      for (const row of rows.slice(0, 60)) w = Math.max(w, this.pdf.widthOfString(row[i]?.text ?? ""));
      return w + 2 * CELL_PAD + 1;
    });
    const total = natural.reduce((a, b) => a + b, 0);
    if (total <= this.width) return natural.map((w) => w + (this.width - total) / natural.length);
    const fair = this.width / columns.length;
    const narrow = natural.filter((w) => w <= fair).reduce((a, b) => a + b, 0);
    const wide = natural.filter((w) => w > fair).reduce((a, b) => a + b, 0);
    return natural.map((w) => (w <= fair ? w : (w / wide) * (this.width - narrow)));
  }

  private text(text: string, o: { font?: string; size: number; color?: string; gap?: number; link?: string | null }): void {
    this.pdf.font(o.font ?? FONTS.regular).fontSize(o.size);
    const h = this.pdf.heightOfString(text, { width: this.width });
    this.ensure(Math.min(h, 200));
    this.pdf.fillColor(o.link ? PALETTE.blue : (o.color ?? PALETTE.ink)).text(text, MARGIN, this.y, { width: this.width, ...(o.link ? { link: o.link } : {}) });
    this.y = this.pdf.y + (o.gap ?? 4);
  }

  private get chartHeight(): number {
    return DEFAULT_CHART_SIZE.height * (this.width / DEFAULT_CHART_SIZE.width);
  }

  private get bottom(): number {
    return this.pdf.page.height - MARGIN;
  }

  private ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  private newPage(): void {
    this.pdf.addPage();
    this.y = MARGIN;
  }

  private pageNumbers(): void {
    const range = this.pdf.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.pdf.switchToPage(i);
      // Inside the bottom margin: pdfkit would otherwise add a page for text written there.
      const bottomMargin = this.pdf.page.margins.bottom;
      this.pdf.page.margins.bottom = 0;
      this.pdf.font(FONTS.regular).fontSize(8).fillColor(PALETTE.muted).text(`page ${i + 1} of ${range.count}`, MARGIN, this.pdf.page.height - MARGIN / 2, { width: this.width, align: "right", lineBreak: false });
      this.pdf.page.margins.bottom = bottomMargin;
    }
  }
}
