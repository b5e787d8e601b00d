import { describe, expect, it } from "vitest";
import { chartToSvg } from "./svg.js";

describe("chartToSvg", () => {
  const svg = chartToSvg({
    id: "load",
    kind: "hbars",
    title: "Load <script>alert(1)</script>",
    unit: "items",
    categoryLabel: "person",
    categories: ['<img src=x onerror=alert(1)>', 'a"b'],
    series: [{ name: "In progress", values: [2, 1], color: "blue" }],
  });

  it("escapes every text it draws", () => {
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<img");
    expect(svg).toContain("&lt;img src&#x3D;x onerror&#x3D;alert("); // clipped to fit, still escaped
    expect(svg).toContain("a&quot;b");
  });

  it("is one accessible svg element with presentation attributes only (the page CSP allows no inline style)", () => {
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg.endsWith("</svg>")).toBe(true);
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<title id="load-title">Load &lt;script&gt;/);
    expect(svg).not.toMatch(/\sstyle=/);
    expect(svg.match(/<rect /g)).toHaveLength(2);
  });
});
