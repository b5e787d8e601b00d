import type { ChartModel } from "./model.js";
import { layoutChart, type Shape } from "./scene.js";

/** The fonts the pdf renderer registered; a chart draws its text in them. */
export interface PdfFonts {
  regular: string;
  bold: string;
}

/**
 * Draws a chart with pdfkit's vector API at (x, y), scaled to `width`: rectangles, paths and real
 * text, so the chart stays sharp at any zoom and its labels are selectable.
 */
export function drawChart(doc: PDFKit.PDFDocument, model: ChartModel, x: number, y: number, width: number, fonts: PdfFonts): number {
  const scene = layoutChart(model);
  const k = width / scene.width;
  doc.save();
  doc.translate(x, y).scale(k);
  for (const s of scene.shapes) drawShape(doc, s, fonts);
  doc.restore();
  return scene.height * k;
}

function drawShape(doc: PDFKit.PDFDocument, s: Shape, fonts: PdfFonts): void {
  switch (s.type) {
    case "rect":
      doc.rect(s.x, s.y, s.w, s.h).fill(s.fill);
      return;
    case "line":
      doc.save().moveTo(s.x1, s.y1).lineTo(s.x2, s.y2).lineWidth(s.width);
      if (s.dashed) doc.dash(5, { space: 4 });
      doc.stroke(s.stroke).restore();
      return;
    case "polyline": {
      const [first, ...rest] = s.points;
      if (!first) return;
      doc.save().moveTo(first[0], first[1]);
      for (const [px, py] of rest) doc.lineTo(px, py);
      doc.lineWidth(s.width).lineJoin("round");
      if (s.dashed) doc.dash(5, { space: 4 });
      doc.stroke(s.stroke).restore();
      return;
    }
    case "circle":
      doc.circle(s.cx, s.cy, s.r).fill(s.fill);
      return;
    case "text": {
      doc.font(s.bold ? fonts.bold : fonts.regular).fontSize(s.size).fillColor(s.fill);
      const w = doc.widthOfString(s.text);
      const left = s.anchor === "start" ? s.x : s.anchor === "middle" ? s.x - w / 2 : s.x - w;
      doc.text(s.text, left, s.y, { baseline: "alphabetic", lineBreak: false });
      return;
    }
  }
}
