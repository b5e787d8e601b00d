import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";

/** Where the handlebars templates live (shipped as source next to the code). */
export const TEMPLATE_DIR = join(import.meta.dirname, "..", "templates");

export function readTemplate(name: string): string {
  return readFileSync(join(TEMPLATE_DIR, name), "utf8");
}

/**
 * An isolated handlebars environment with the partials of one format (`templates/<dir>/*.hbs`, one per
 * block kind, plus `cell`) and the page template, compiled once. `noEscape` is for markdown only, whose
 * view holds strings escaped for markdown beforehand.
 */
export function compileFormat(page: string, partialDir: string, opts: { noEscape?: boolean } = {}): HandlebarsTemplateDelegate {
  const hb = Handlebars.create();
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  const dir = join(TEMPLATE_DIR, partialDir);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".hbs"))) {
    // Trailing newlines would break a markdown table row a partial is inlined into.
    hb.registerPartial(file.slice(0, -".hbs".length), hb.compile(readFileSync(join(dir, file), "utf8").replace(/\n+$/, ""), { noEscape: opts.noEscape ?? false, strict: true }));
  }
  return hb.compile(readTemplate(page), { noEscape: opts.noEscape ?? false, strict: true });
}
