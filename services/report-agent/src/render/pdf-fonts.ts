import { createRequire } from "node:module";

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
