import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { JetStreamManager } from "@nats-io/jetstream";
import { setSha256Backend, type ObjectStore } from "@nats-io/obj";
import { isSafeRelativePath, type ArtifactRef } from "@pmo/contracts";
import { pulledObjectStream, readAll } from "./object-chunks.js";

// The object store hashes every byte put and verifies every byte read. Its default SHA-256 is pure
// JS (browser-safe); node:crypto's is many times faster, and a 10k-item collection writes and the
// orchestrator reads tens of MB. Process-wide, and set before any object store operation because
// every service imports the store through this module.
setSha256Backend("native");

const CHUNK_BYTES = 512 * 1024;

/**
 * Artifacts live in the `pmo_artifacts` object store as `<workflowId>/<path>`, so agents in separate
 * containers share no disk; the orchestrator mirrors them into the workspace.
 */
export class ArtifactStore {
  constructor(private readonly store: ObjectStore) {}

  static objectName(workflowId: string, path: string): string {
    if (!isSafeRelativePath(path)) throw new Error(`unsafe artifact path: ${JSON.stringify(path)}`);
    return `${workflowId}/${path}`;
  }

  async put(workflowId: string, path: string, data: Uint8Array | string, contentType?: string): Promise<ArtifactRef> {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const info = await this.store.putBlob(this.meta(workflowId, path), bytes);
    return { path, size: info.size, digest: info.digest, ...(contentType ? { contentType } : {}) };
  }

  async putJson(workflowId: string, path: string, value: unknown): Promise<ArtifactRef> {
    return this.put(workflowId, path, JSON.stringify(value, null, 2), "application/json");
  }

  /**
   * The object's name, in chunks of 512 KiB (the store clamps to the server's max payload): the
   * client publishes chunks one acknowledged message at a time, so a 30 MB collection in the default
   * 128 KiB chunks is 240 round trips, in these 60.
   */
  private meta(workflowId: string, path: string) {
    return { name: ArtifactStore.objectName(workflowId, path), options: { max_chunk_size: CHUNK_BYTES } };
  }

  /** Streams an artifact in (bounded memory for big collections). */
  async putStream(workflowId: string, path: string, data: ReadableStream<Uint8Array>, contentType?: string): Promise<ArtifactRef> {
    const info = await this.store.put(this.meta(workflowId, path), data);
    return { path, size: info.size, digest: info.digest, ...(contentType ? { contentType } : {}) };
  }

  /**
   * An artifact's bytes as a stream that reads a chunk only when the reader asks (see
   * pulledObjectStream): a big snapshot merged by a slow reader is never held whole; null when
   * absent. With `digest`, only that version: null when the object now holds other bytes. Links, and
   * a store client without the stream's manager, go through the client's own `get`.
   */
  async getStream(workflowId: string, path: string, opts: { digest?: string } = {}): Promise<ReadableStream<Uint8Array> | null> {
    return (await this.open(ArtifactStore.objectName(workflowId, path), opts.digest))?.stream ?? null;
  }

  /**
   * An artifact's bytes, read as getStream reads them (direct gets, each bounded by the request
   * timeout), not with the object store client's `getBlob`: that one waited forever when the object
   * was replaced while it was read (a redelivered job rewriting its summary as a reader read it: the
   * old version's chunks are purged by the put). Here that read fails on the missing chunk, and the
   * object is read again, as it now is (at most 3 times).
   */
  async get(workflowId: string, path: string): Promise<Uint8Array | null> {
    const name = ArtifactStore.objectName(workflowId, path);
    for (let attempt = 1; ; attempt++) {
      const opened = await this.open(name);
      if (!opened) return null;
      try {
        return await readAll(opened.stream);
      } catch (err) {
        const now = opened.nuid === null || attempt === 3 ? null : await this.store.info(name);
        if (!now || now.nuid === opened.nuid) throw err;
      }
    }
  }

  /** The object's bytes as a stream, and which version they are (null: read by the client, not tracked); null when absent (or, with `digest`, not that version). */
  private async open(name: string, digest?: string): Promise<{ stream: ReadableStream<Uint8Array>; nuid: string | null } | null> {
    const { jsm, stream } = this.store as Partial<{ jsm: JetStreamManager; stream: string }>;
    const info = (jsm && stream) || digest !== undefined ? await this.store.info(name) : null;
    if (digest !== undefined && (!info || info.deleted || info.digest !== digest)) return null;
    if (jsm && stream && info && !info.deleted && !info.options?.link && info.digest.startsWith("SHA-256=")) {
      if (info.size === 0) return { stream: new ReadableStream({ start: (c) => c.close() }), nuid: info.nuid };
      return { stream: pulledObjectStream(jsm, stream, info.bucket, info), nuid: info.nuid };
    }
    if (info?.deleted) return null;
    const r = await this.store.get(name);
    return r ? { stream: r.data, nuid: null } : null;
  }

  async info(workflowId: string, path: string): Promise<ArtifactRef | null> {
    const info = await this.store.info(ArtifactStore.objectName(workflowId, path));
    if (!info || info.deleted) return null;
    return { path, size: info.size, digest: info.digest };
  }

  async list(workflowId: string): Promise<ArtifactRef[]> {
    const prefix = `${workflowId}/`;
    const all = await this.store.list();
    return all
      .filter((i) => !i.deleted && i.name.startsWith(prefix))
      .map((i) => ({ path: i.name.slice(prefix.length), size: i.size, digest: i.digest }))
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Writes the artifact under `dir` atomically (temp file + rename); refuses paths that would leave `dir`. */
  async materialize(workflowId: string, path: string, dir: string): Promise<{ file: string; size: number } | null> {
    const data = await this.get(workflowId, path);
    if (!data) return null;
    const file = safeJoin(dir, path);
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, file);
    return { file, size: data.byteLength };
  }
}

/** `join(dir, rel)` that throws instead of escaping `dir`. */
export function safeJoin(dir: string, rel: string): string {
  if (!isSafeRelativePath(rel)) throw new Error(`unsafe path: ${JSON.stringify(rel)}`);
  const root = resolve(dir);
  const full = resolve(join(root, rel));
  if (full !== root && !full.startsWith(root + sep)) throw new Error(`path escapes ${root}: ${rel}`);
  return full;
}
