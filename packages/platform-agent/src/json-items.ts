import { rememberRawBytes } from "./raw-source.js";

export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;

/**
 * Parses a JSON object whose member `key` is an array of records (a page of tasks) record by
 * record: each element is decoded and JSON.parse'd on its own, its bytes kept (a view of `bytes`,
 * not a copy) as the record's raw source (raw-source.ts), and the rest of the object is parsed once
 * with the array left empty. Same result as JSON.parse of the whole, every byte still validated by
 * JSON.parse, but no string the size of the page is made (a 150 KB page decoded whole is a
 * large-object string, fresh memory each page), and the records' raw copies in the collected output
 * are their bytes as sent, not a JSON.stringify of the parsed records. `bytes` must not be reused
 * while the records live. A document that is not an object with that array is parsed whole.
 */
export function parseJsonItems(bytes: Buffer, key: string): unknown {
  const start = hasBom(bytes) ? 3 : 0;
  let i = skipSpace(bytes, start);
  if (bytes[i] !== OPEN_OBJECT) return parseWhole(bytes);
  const wanted = Buffer.from(JSON.stringify(key));
  i = skipSpace(bytes, i + 1);
  while (i < bytes.length && bytes[i] !== CLOSE_OBJECT) {
    if (bytes[i] !== QUOTE) throw new SyntaxError(`expected a member name at byte ${i}`);
    const nameEnd = whole(stringEnd(bytes, i), i);
    const isWanted = nameEnd - i === wanted.length && bytes.compare(wanted, 0, wanted.length, i, nameEnd) === 0;
    i = skipSpace(bytes, nameEnd);
    if (bytes[i] !== COLON) throw new SyntaxError(`expected ':' at byte ${i}`);
    i = skipSpace(bytes, i + 1);
    if (isWanted && bytes[i] === OPEN_ARRAY) return splitArray(bytes, start, i, key);
    i = skipSpace(bytes, whole(valueEnd(bytes, i), i));
    if (bytes[i] === COMMA) i = skipSpace(bytes, i + 1);
  }
  return parseWhole(bytes);
}

function splitArray(bytes: Buffer, start: number, open: number, key: string): unknown {
  const items: unknown[] = [];
  let i = skipSpace(bytes, open + 1);
  if (bytes[i] !== CLOSE_ARRAY) {
    for (;;) {
      const end = whole(valueEnd(bytes, i), i);
      const item = JSON.parse(bytes.toString("utf8", i, end)) as unknown;
      const source = bytes.subarray(i, end);
      // Kept only on one line: the collected output holds one entry a line (pretty-printed JSON is stringified instead).
      if (item !== null && typeof item === "object" && source.indexOf(0x0a) === -1) rememberRawBytes(item, source);
      items.push(item);
      i = skipSpace(bytes, end);
      if (bytes[i] === COMMA) i = skipSpace(bytes, i + 1);
      else if (bytes[i] === CLOSE_ARRAY) break;
      else throw new SyntaxError(`expected ',' or ']' after item ${items.length} of "${key}" at byte ${i}`);
    }
  }
  const rest = JSON.parse(bytes.toString("utf8", start, open + 1) + bytes.toString("utf8", i)) as Record<string, unknown>;
  // A second member of the same name would win in JSON.parse: the document is read whole then.
  const emptied = rest[key];
  if (!Array.isArray(emptied) || emptied.length > 0) return parseWhole(bytes);
  rest[key] = items;
  return rest;
}

function parseWhole(bytes: Buffer): unknown {
  return JSON.parse(bytes.toString("utf8", hasBom(bytes) ? 3 : 0));
}

/** What the scanners answer when the bytes end before the string or value does (streamed bytes: wait for more). */
export const INCOMPLETE = -1;

/** A scanner's end in a document that is all there: running out is a syntax error. */
function whole(end: number, at: number): number {
  if (end === INCOMPLETE) throw new SyntaxError(`unterminated value at byte ${at}`);
  return end;
}

export function hasBom(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

export function skipSpace(b: Uint8Array, i: number): number {
  for (let c = b[i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = b[++i]);
  return i;
}

/** Just past the string whose opening quote is at `i` (the next quote not escaped; found natively); INCOMPLETE when the bytes end first. */
export function stringEnd(b: Buffer, i: number): number {
  for (let from = i + 1; ; ) {
    const q = b.indexOf(QUOTE, from);
    if (q === -1) return INCOMPLETE;
    let backslashes = 0;
    while (b[q - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/**
 * Just past the value starting at `i`: only its extent is found here, JSON.parse validates it.
 * INCOMPLETE when the bytes end inside a string, object or array; a number or literal runs to the
 * end of the bytes (whether it goes on is for the caller to know).
 */
export function valueEnd(b: Buffer, i: number): number {
  const first = b[i];
  if (first === QUOTE) return stringEnd(b, i);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    const n = b.length;
    for (let j = i; j < n; j++) {
      const c = b[j];
      if (c === QUOTE) {
        // The string's bytes walked here, not with stringEnd's native search: a record's strings are
        // mostly a few bytes, and a call per string cost more than the walk (measured on ClickUp
        // pages and time entries: extents found in 2.9 ms instead of 4.4).
        for (j++; j < n; j++) {
          const d = b[j];
          if (d === QUOTE) break;
          if (d === BACKSLASH) j++; // the escaped byte cannot end the string
        }
        if (j >= n) return INCOMPLETE;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
      else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) return j + 1;
    }
    return INCOMPLETE;
  }
  let j = i;
  for (let c = b[j]; c !== undefined && c !== COMMA && c !== CLOSE_OBJECT && c !== CLOSE_ARRAY && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09; c = b[++j]);
  if (j === i) throw new SyntaxError(`expected a value at byte ${i}`);
  return j;
}
