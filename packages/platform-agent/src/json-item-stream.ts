import { CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, hasBom, INCOMPLETE, OPEN_ARRAY, OPEN_OBJECT, QUOTE, skipSpace, stringEnd, valueEnd } from "./json-items.js";

/**
 * Parses a JSON object arriving in chunks whose member `key` is an array (a workspace's time
 * entries), handing each element to `onItem` as soon as its bytes are in, and gives back the rest of
 * the object with that array empty. Each element is decoded and JSON.parse'd on its own (every byte
 * still validated), so neither the body nor its parse is ever held whole: a 12 MB answer read with
 * `text()` + JSON.parse was one 12 MB string and ~250k objects alive until the last byte, promoted
 * out of the young generation and faulted in page by page (measured: most of a ClickUp agent's page
 * faults in a 10k-task collection). A document where the member is not an array is parsed whole at
 * the end, and the elements of a member that then is an array are handed over as well.
 */
export async function streamJsonItems(chunks: AsyncIterable<Uint8Array>, key: string, onItem: (item: unknown) => void): Promise<Record<string, unknown>> {
  const parser = new ItemStreamParser(key, onItem);
  for await (const chunk of chunks) parser.push(chunk);
  return parser.end();
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

type Phase = "head" | "items" | "tail" | "whole";

class ItemStreamParser {
  private phase: Phase = "head";
  /** Bytes not consumed yet: the head until the array opens, then at most one element in part. */
  private pending: Buffer = Buffer.alloc(0);
  /** The object up to and with the array's `[`, as text. */
  private head = "";
  private readonly rest: Buffer[] = [];
  /** In the array, what came last: its opening, an element (a comma or the end follows) or a comma (an element follows). */
  private last: "open" | "element" | "comma" = "open";
  /** In the head: where the next member starts (members before it were scanned already). */
  private member = -1;
  private readonly wanted: Buffer;

  constructor(
    private readonly key: string,
    private readonly onItem: (item: unknown) => void,
  ) {
    this.wanted = Buffer.from(JSON.stringify(key));
  }

  push(chunk: Uint8Array): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.phase === "tail" || this.phase === "whole") {
      this.rest.push(Buffer.from(bytes));
      return;
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, bytes]) : Buffer.from(bytes);
    if (this.phase === "head") this.scanHead(false);
    if (this.phase === "items") this.scanItems(false);
  }

  end(): Record<string, unknown> {
    if (this.phase === "head") this.scanHead(true);
    if (this.phase === "items") this.scanItems(true);
    if (this.phase === "items") throw new SyntaxError(`the ${JSON.stringify(this.key)} array ends with the body`);
    if (this.phase === "whole") return this.whole();
    const tail = Buffer.concat(this.rest);
    const rest = JSON.parse(this.head + tail.toString("utf8")) as Record<string, unknown>;
    // A second member of the same name after the array wins in JSON.parse: the elements handed over were not its.
    if (this.namedAgain(tail)) throw new SyntaxError(`${JSON.stringify(this.key)} appears twice in the object`);
    return rest;
  }

  /** Whether the members after the array (the tail starts with its `]`; valid JSON by now) name the key again. */
  private namedAgain(tail: Buffer): boolean {
    let i = skipSpace(tail, 1);
    while (tail[i] === COMMA) {
      i = skipSpace(tail, i + 1);
      const nameEnd = stringEnd(tail, i);
      if (nameEnd - i === this.wanted.length && tail.compare(this.wanted, 0, this.wanted.length, i, nameEnd) === 0) return true;
      i = skipSpace(tail, valueEnd(tail, skipSpace(tail, skipSpace(tail, nameEnd) + 1)));
    }
    return false;
  }

  /** The object's members up to the wanted array (or the decision to read the document whole). */
  private scanHead(final: boolean): void {
    const b = this.pending;
    let i = this.member;
    if (i === -1) {
      // Too few bytes yet to tell a byte-order mark from the document.
      if (b.length < 3 && !final && BOM.subarray(0, b.length).equals(b)) return;
      const start = skipSpace(b, hasBom(b) ? 3 : 0);
      if (start >= b.length) return;
      if (b[start] !== OPEN_OBJECT) return this.readWhole();
      i = skipSpace(b, start + 1);
    }
    while (i < b.length && b[i] !== CLOSE_OBJECT) {
      if (b[i] !== QUOTE) throw new SyntaxError(`expected a member name at byte ${i}`);
      const nameEnd = stringEnd(b, i);
      if (nameEnd === INCOMPLETE) return this.wait(final, i);
      const isWanted = nameEnd - i === this.wanted.length && b.compare(this.wanted, 0, this.wanted.length, i, nameEnd) === 0;
      let v = skipSpace(b, nameEnd);
      if (v >= b.length) return this.wait(final, i);
      if (b[v] !== COLON) throw new SyntaxError(`expected ':' at byte ${v}`);
      v = skipSpace(b, v + 1);
      if (v >= b.length) return this.wait(final, i);
      if (isWanted && b[v] === OPEN_ARRAY) {
        this.head = b.toString("utf8", hasBom(b) ? 3 : 0, v + 1);
        this.pending = b.subarray(v + 1);
        this.phase = "items";
        return;
      }
      const end = valueEnd(b, v);
      // A number or literal at the end of the bytes may go on in the next chunk.
      if (end === INCOMPLETE || (end >= b.length && !final)) return this.wait(final, i);
      i = skipSpace(b, end);
      if (b[i] === COMMA) i = skipSpace(b, i + 1);
      this.member = i;
    }
    // The object closes (or the bytes end) without the array: the document is read whole.
    if (i < b.length || final) this.readWhole();
  }

  private scanItems(final: boolean): void {
    const b = this.pending;
    let i = 0;
    for (;;) {
      i = skipSpace(b, i);
      if (i >= b.length) break;
      if (b[i] === CLOSE_ARRAY && this.last !== "comma") {
        this.rest.push(Buffer.from(b.subarray(i)));
        this.pending = Buffer.alloc(0);
        this.phase = "tail";
        return;
      }
      if (this.last === "element") {
        if (b[i] !== COMMA) throw new SyntaxError(`expected ',' or ']' after an element of ${JSON.stringify(this.key)}`);
        this.last = "comma";
        i++;
        continue;
      }
      // An element (valueEnd refuses a ']' or ',' here: no value).
      const end = valueEnd(b, i);
      if (end === INCOMPLETE || (end >= b.length && !final)) break;
      this.onItem(JSON.parse(b.toString("utf8", i, end)));
      this.last = "element";
      i = end;
    }
    // What is left is part of the next element (or space): kept, copied off the chunk it came in.
    this.pending = i >= b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(i));
  }

  private wait(final: boolean, at: number): void {
    if (final) throw new SyntaxError(`the body ends inside the member at byte ${at}`);
  }

  private readWhole(): void {
    this.phase = "whole";
    this.rest.push(this.pending);
    this.pending = Buffer.alloc(0);
  }

  private whole(): Record<string, unknown> {
    const b = Buffer.concat(this.rest);
    const doc = JSON.parse(b.toString("utf8", hasBom(b) ? 3 : 0)) as Record<string, unknown>;
    const items = doc !== null && typeof doc === "object" ? doc[this.key] : undefined;
    if (Array.isArray(items)) for (const item of items) this.onItem(item);
    return doc;
  }
}
