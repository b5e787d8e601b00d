import Handlebars from "handlebars";

/** The same escaping Handlebars applies to `{{value}}` (& < > " ' ` =), for html we build outside a template (SVG). */
export function escapeHtml(text: string): string {
  return Handlebars.Utils.escapeExpression(text);
}

/**
 * Makes user text inert in markdown: markdown punctuation is backslash-escaped (a title never turns
 * into a link, heading or table cell break), `<`, `>` and `&` become entities (never raw html), and
 * line breaks become spaces (a value stays in its table cell or list item).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    // Block syntax only counts at the start of a line: "# x", "- x", "+ x", "1. x".
    .replace(/^(\s*)([#+-])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, "$1\\$2");
}

/** Only http(s) links are kept: a `javascript:` or `data:` URL from a platform never becomes clickable. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}
