import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as fontkit from "fontkit";

const require = createRequire(import.meta.url);

/**
 * DejaVu Sans, shipped by the `dejavu-fonts-ttf` package and embedded (subset) in every pdf: the 14
 * standard pdf fonts only cover Latin-1, and user text (names, titles) may be in any script. It also
 * means a slim container needs no system fonts.
 */
export const PDF_FONT_FILES = {
  regular: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
  bold: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
} as const;

/** pdfkit accepts a parsed fontkit font (it checks for `layout`), though its typings only list files and buffers. */
type PdfFontSource = PDFKit.Mixins.PDFFontSource;

let parsed: { regular: PdfFontSource; bold: PdfFontSource } | null = null;

/**
 * The fonts parsed once per process: pdfkit would re-parse a 750 kB TrueType file for every document,
 * which was most of a small report's rendering time (measured: ~200 ms → ~40 ms per pdf). Each
 * document still makes its own subset, so sharing the parsed font is safe.
 */
export function pdfFonts(): { regular: PdfFontSource; bold: PdfFontSource } {
  parsed ??= {
    regular: fontkit.create(readFileSync(PDF_FONT_FILES.regular)) as unknown as PdfFontSource,
    bold: fontkit.create(readFileSync(PDF_FONT_FILES.bold)) as unknown as PdfFontSource,
  };
  return parsed;
}
