import type { JetStreamManager } from "@nats-io/jetstream";
import { ObjectStore as ObjectStoreName, type ArtifactRef } from "@pmo/contracts";
import { ArtifactStore, pulledObjectStream, readAll } from "@pmo/runtime";

/**
 * Up to this many chunks an artifact is read with direct gets, one per chunk; bigger ones (collected
 * data of large projects) stream through the object store's consumer, which is cheaper per byte.
 * @default 4 (the client writes chunks of up to 512 KiB)
 */
const MAX_DIRECT_CHUNKS = 4;

/** What the object store keeps per object on its meta subject (NATS ADR-20). */
interface ObjectMeta {
  nuid: string;
  size: number;
  chunks: number;
  digest: string;
  deleted?: boolean;
  options?: { link?: unknown };
}

/**
 * Reads artifacts the orchestrator materialises. The object store client's `get` creates a consumer
 * on the server for every object and fetches the object's meta data through the JetStream API; the
 * artifacts the orchestrator reads are small and many (five or more per workflow), so it reads the
 * meta and the chunks with direct gets instead (the store's stream allows them) and checks the
 * SHA-256 digest and size itself, as the client would. Links and large objects go the usual way.
 */
export class ArtifactReader {
  private readonly bucket = ObjectStoreName.Artifacts;
  private readonly stream = `OBJ_${ObjectStoreName.Artifacts}`;

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly store: ArtifactStore,
  ) {}

  /** The artifact's size and digest as stored now; null when absent or deleted. */
  async info(workflowId: string, path: string): Promise<ArtifactRef | null> {
    const meta = await this.meta(workflowId, path);
    if (meta === undefined) return this.store.info(workflowId, path);
    return meta ? { path, size: meta.size, digest: meta.digest } : null;
  }

  /**
   * The artifact's bytes, verified against its digest (pulledObjectStream); null when absent or
   * deleted. A read that fails (the artifact replaced meanwhile: a put purges the previous chunks)
   * is left to the store's own `get`, which reads it again as it now is.
   */
  async get(workflowId: string, path: string): Promise<Uint8Array | null> {
    const meta = await this.meta(workflowId, path);
    if (meta === undefined || (meta && (meta.options?.link || meta.chunks > MAX_DIRECT_CHUNKS || !meta.digest.startsWith("SHA-256=")))) return this.store.get(workflowId, path);
    if (!meta) return null;
    if (meta.size === 0) return new Uint8Array(0);
    try {
      return await readAll(pulledObjectStream(this.jsm, this.stream, this.bucket, { ...meta, name: path }));
    } catch {
      return this.store.get(workflowId, path);
    }
  }

  /** The meta entry; null when absent or deleted; undefined when the name cannot be read directly. */
  private async meta(workflowId: string, path: string): Promise<ObjectMeta | null | undefined> {
    const name = ArtifactStore.objectName(workflowId, path);
    // The object store encodes each character of the name as one byte (btoa); beyond Latin-1 leave it to the client.
    if (!/^[\x20-\xff]*$/.test(name)) return undefined;
    const m = await this.jsm.direct.getMessage(this.stream, { last_by_subj: `$O.${this.bucket}.M.${base64UrlPadded(Buffer.from(name, "latin1"))}` });
    if (!m) return null;
    const meta = m.json<ObjectMeta>();
    return meta.deleted ? null : meta;
  }
}

function base64UrlPadded(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}
