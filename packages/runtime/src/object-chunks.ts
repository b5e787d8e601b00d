import { createHash } from "node:crypto";
import type { JetStreamManager } from "@nats-io/jetstream";

/** What the object store keeps about an object's data (NATS ADR-20 meta): enough to read and verify it. */
export interface StoredObject {
  name: string;
  nuid: string;
  size: number;
  chunks: number;
  /** `SHA-256=<base64url>` of the whole object. */
  digest: string;
}

/**
 * An object's bytes read chunk by chunk with direct gets, each chunk only when the reader asks for it.
 * The object store client's own `get` has a consumer push every chunk into its stream as fast as the
 * server sends them, whatever the reader does, so a slow reader (an agent merging a 30 MB snapshot
 * while it writes the new one) ends up holding the whole object. Here at most one chunk waits
 * beyond what the reader took. The size and SHA-256 digest are checked at the end, as the client
 * would; a mismatch errors the stream rather than ending it quietly.
 */
export function pulledObjectStream(jsm: JetStreamManager, stream: string, bucket: string, object: StoredObject): ReadableStream<Uint8Array> {
  const subject = `$O.${bucket}.C.${object.nuid}`;
  const hash = createHash("sha256");
  let read = 0;
  let bytes = 0;
  let seq = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (read === object.chunks) {
          const digest = objectDigest(hash.digest());
          if (bytes !== object.size || digest !== object.digest) {
            controller.error(new Error(`${object.name}: received a corrupt object (${bytes} bytes, ${digest}; expected ${object.size} bytes, ${object.digest})`));
          } else controller.close();
          return;
        }
        const m = await jsm.direct.getMessage(stream, { seq: seq + 1, next_by_subj: subject });
        if (!m) {
          controller.error(new Error(`${object.name}: chunk ${read + 1} of ${object.chunks} is missing from the object store`));
          return;
        }
        seq = m.seq;
        read++;
        bytes += m.data.byteLength;
        hash.update(m.data);
        controller.enqueue(m.data);
      },
    },
    { highWaterMark: 1 },
  );
}

/** Every byte of a stream, in one buffer (a single chunk is not copied). */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** The object store's digest notation for a SHA-256: `SHA-256=` and the base64url of the hash, padded. */
export function objectDigest(sha256: Uint8Array): string {
  return `SHA-256=${Buffer.from(sha256).toString("base64").replace(/\+/g, "-").replace(/\//g, "_")}`;
}
