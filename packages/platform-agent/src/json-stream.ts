import type { ArtifactRef, WorkItem } from "@pmo/contracts";
import type { ArtifactStore } from "@pmo/runtime";
import { rawPieces } from "./raw-source.js";

/**
 * A snapshot/collected entry as JSON: the item stringified, and the platform's raw object as pieces
 * to write in order (its bytes as received where kept, see raw-source.ts; else stringified).
 */
export interface SerializedEntry {
  item: string;
  raw: (string | Uint8Array)[];
}

export function serializeEntry(item: WorkItem, raw: unknown): SerializedEntry {
  return { item: JSON.stringify(item), raw: rawPieces(raw) };
}

const FLUSH_CHARS = 64 * 1024;

/**
 * Text streamed into one object-store artifact while it is produced: nothing is held but what the
 * store has not taken yet (`write` waits when it is behind). The object appears, whole, only when
 * `finish` resolves; `abort` leaves the previous version of the object in place.
 */
export class JsonStreamWriter {
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private readonly stored: Promise<ArtifactRef>;
  private pending: (string | Uint8Array)[] = [];
  private pendingChars = 0;

  constructor(store: ArtifactStore, owner: string, path: string, contentType: string) {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(undefined, { highWaterMark: 4 }, { highWaterMark: 4 });
    this.writer = writable.getWriter();
    this.stored = store.putStream(owner, path, readable, contentType);
    // Until finish/abort awaits it, a failed put must not count as unhandled.
    this.stored.catch(() => undefined);
  }

  /**
   * Text or bytes (UTF-8), buffered: the stream (and the store behind it) sees chunks of about 64
   * KiB, not one per item. The pieces of one call are taken together, before any wait: writers
   * sharing the stream (one per repository) never interleave inside an entry.
   */
  async write(...pieces: (string | Uint8Array)[]): Promise<void> {
    for (const piece of pieces) {
      this.pending.push(piece);
      this.pendingChars += typeof piece === "string" ? piece.length : piece.byteLength;
    }
    if (this.pendingChars >= FLUSH_CHARS) await this.flush();
  }

  async finish(): Promise<ArtifactRef> {
    await this.flush();
    await this.writer.close();
    return this.stored;
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    // One buffer of the pieces' bytes (small texts are encoded into Node's shared pool; no joined string).
    const chunk = Buffer.concat(this.pending.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p)));
    this.pending = [];
    this.pendingChars = 0;
    await this.writer.ready;
    await this.writer.write(chunk);
  }

  async abort(reason: unknown): Promise<void> {
    await this.writer.abort(reason).catch(() => undefined);
    await this.stored.catch(() => undefined);
  }
}

/**
 * The lines of a UTF-8 byte stream, as they stream in (a line split across chunks is joined). Split
 * as bytes (a newline byte is never part of a multi-byte character) and each line decoded on its
 * own: decoding a 512 KiB chunk whole makes a string in V8's large-object space, fresh memory for
 * every chunk, whose page faults cost more than the decoding on this kind of VM.
 */
export async function* textLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let carry: Buffer | null = null;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = bytes.indexOf(0x0a); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
      if (carry) {
        yield Buffer.concat([carry, bytes.subarray(0, nl)]).toString("utf8");
        carry = null;
      } else yield bytes.toString("utf8", start, nl);
      start = nl + 1;
    }
    if (start < bytes.length) carry = carry ? Buffer.concat([carry, bytes.subarray(start)]) : Buffer.from(bytes.subarray(start));
  }
  if (carry) yield carry.toString("utf8");
}
