import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { ArtifactStore, ensureTopology, type Topology } from "@pmo/runtime";
import { startNatsServer, type NatsServer } from "../../../test/harness/nats-server.js";
import { ArtifactReader } from "./artifact-reader.js";

describe("ArtifactReader against a real nats-server", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let topo: Topology;
  let store: ArtifactStore;
  let reader: ArtifactReader;
  const wf = "workflow-2026-01-01-000000";

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    topo = await ensureTopology(nc, { replicas: 1 });
    store = new ArtifactStore(topo.artifacts);
    reader = new ArtifactReader(topo.jsm, store);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  // One chunk, several read by direct gets (two at 512 KiB a chunk), and more than the direct limit (the client's path).
  it.each([
    ["empty", 0],
    ["one chunk", 5_000],
    ["exactly one full chunk", 512 * 1024],
    ["two chunks", 1024 * 1024],
    ["six chunks", 3 * 1024 * 1024 - 7],
  ])("reads %s the same bytes as the object store client, with the same info", async (_name, size) => {
    const path = `data/blob-${size}.bin`;
    const bytes = randomBytes(size);
    const ref = await store.put(wf, path, bytes);
    const read = await reader.get(wf, path);
    expect(read).not.toBeNull();
    expect(Buffer.from(read!).equals(bytes)).toBe(true);
    expect(Buffer.from((await store.get(wf, path))!).equals(bytes)).toBe(true);
    expect(await reader.info(wf, path)).toEqual({ path, size: ref.size, digest: ref.digest });
  });

  it("reads the newest version of a rewritten artifact", async () => {
    const path = "reports/daily.md";
    await store.put(wf, path, "# first\n");
    await store.put(wf, path, "# second, longer\n");
    expect(new TextDecoder().decode((await reader.get(wf, path))!)).toBe("# second, longer\n");
  });

  it("reads an artifact replaced between its meta and its chunks as it now is", async () => {
    const path = "issues/summary.json";
    await store.put(wf, path, randomBytes(3 * 1024));
    const newer = randomBytes(700 * 1024);
    // The first chunk asked for: another writer replaces the artifact just before (its old chunks are purged).
    const direct = topo.jsm.direct;
    const getMessage = direct.getMessage.bind(direct);
    let replaced = false;
    const spy = vi.spyOn(direct, "getMessage").mockImplementation(async (stream, query) => {
      if (!replaced && "next_by_subj" in query && query.next_by_subj.includes(".C.")) {
        replaced = true;
        await store.put(wf, path, newer);
      }
      return getMessage(stream, query);
    });
    try {
      expect(Buffer.from((await reader.get(wf, path))!).equals(newer)).toBe(true);
      expect(replaced).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it("returns null for a missing or deleted artifact", async () => {
    expect(await reader.get(wf, "data/none.json")).toBeNull();
    expect(await reader.info(wf, "data/none.json")).toBeNull();
    await store.put(wf, "data/gone.json", "{}");
    await topo.artifacts.delete(ArtifactStore.objectName(wf, "data/gone.json"));
    expect(await reader.get(wf, "data/gone.json")).toBeNull();
    expect(await reader.info(wf, "data/gone.json")).toBeNull();
  });

  it("refuses a path that would leave the workflow's folder", async () => {
    await expect(reader.get(wf, "../other/secret.json")).rejects.toThrow(/unsafe/);
  });
});
