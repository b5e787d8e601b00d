import { escapeHtml } from "../render/escape.js";
import type { ChartModel } from "./model.js";
import { layoutChart, type Scene, type Shape } from "./scene.js";

const n = (v: number) => Number(v.toFixed(2));

function shapeToSvg(s: Shape): string {
  switch (s.type) {
    case "rect":
      return `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="${s.fill}"/>`;
    case "line":
      return `<line x1="${n(s.x1)}" y1="${n(s.y1)}" x2="${n(s.x2)}" y2="${n(s.y2)}" stroke="${s.stroke}" stroke-width="${s.width}"${s.dashed ? ' stroke-dasharray="5 4"' : ""}/>`;
    case "polyline":
      return `<polyline points="${s.points.map(([x, y]) => `${n(x)},${n(y)}`).join(" ")}" fill="none" stroke="${s.stroke}" stroke-width="${s.width}" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="5 4"' : ""}/>`;
    case "circle":
      return `<circle cx="${n(s.cx)}" cy="${n(s.cy)}" r="${s.r}" fill="${s.fill}"/>`;
    case "text":
      // Every string drawn comes from a model that may hold user text: always escaped.
      return `<text x="${n(s.x)}" y="${n(s.y)}" font-size="${s.size}" text-anchor="${s.anchor}" fill="${s.fill}"${s.bold ? ' font-weight="bold"' : ""}>${escapeHtml(s.text)}</text>`;
  }
}

/**
 * The scene as one inline `<svg>` element. Presentation attributes only (no `style=`), so the page's
 * strict Content-Security-Policy needs no 'unsafe-inline' for it.
 */
export function sceneToSvg(scene: Scene, id: string): string {
  const titleId = `${id}-title`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${escapeHtml(id)}" viewBox="0 0 ${scene.width} ${scene.height}" width="${scene.width}" height="${scene.height}" role="img" aria-labelledby="${escapeHtml(titleId)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<title id="${escapeHtml(titleId)}">${escapeHtml(scene.title)}</title>`,
    ...scene.shapes.map(shapeToSvg),
    "</svg>",
  ].join("");
}

export function chartToSvg(model: ChartModel): string {
  return sceneToSvg(layoutChart(model), model.id);
}
