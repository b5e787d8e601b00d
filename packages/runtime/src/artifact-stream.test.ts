import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { JetStreamManager } from "@nats-io/jetstream";
import { natsWithTopology } from "../../../test/harness/nats-fixture.js";
import { ArtifactStore } from "./artifacts.js";

const CHUNK = 512 * 1024;

describe("ArtifactStore.getStream", () => {
  const nats = natsWithTopology();
  const store = () => new ArtifactStore(nats.topo.artifacts);
  const jsmOf = () => (nats.topo.artifacts as unknown as { jsm: JetStreamManager }).jsm;

  it("reads a chunk only when the reader asks for one, and the bytes are the object's", async () => {
    const data = randomBytes(10 * CHUNK + 1234);
    await store().put("wf-stream", "data/big.bin", data);
    const jsm = jsmOf();
    const gets = vi.spyOn(jsm.direct, "getMessage");
    try {
      const reader = (await store().getStream("wf-stream", "data/big.bin"))!.getReader();
      const parts: Uint8Array[] = [];
      for (let taken = 1; taken <= 3; taken++) {
        const { value } = await reader.read();
        parts.push(value!);
        await new Promise((r) => setTimeout(r, 100)); // a slow reader: nothing more is fetched meanwhile
        expect(gets.mock.calls.length, `chunks fetched after the reader took ${taken}`).toBeLessThanOrEqual(taken + 1);
      }
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parts.push(value);
      }
      expect(Buffer.concat(parts).equals(data)).toBe(true);
      expect(gets.mock.calls.length).toBe(11);
    } finally {
      gets.mockRestore();
    }
  });

  it("errors, rather than ending quietly, when the bytes do not match the stored digest", async () => {
    await store().put("wf-stream", "data/tampered.bin", randomBytes(3 * CHUNK));
    const jsm = jsmOf();
    const real = jsm.direct.getMessage.bind(jsm.direct);
    const gets = vi.spyOn(jsm.direct, "getMessage").mockImplementation(async (stream, query) => {
      const m = await real(stream, query);
      if (!m) return m;
      const flipped = new Uint8Array(m.data);
      flipped[0] = flipped[0]! ^ 0xff; // one bit pattern changed in transit
      return Object.assign(Object.create(Object.getPrototypeOf(m)), m, { data: flipped });
    });
    try {
      const stream = (await store().getStream("wf-stream", "data/tampered.bin"))!;
      await expect(new Response(stream).arrayBuffer()).rejects.toThrow(/corrupt object/);
    } finally {
      gets.mockRestore();
    }
  });

  it("gives null for an absent or deleted artifact and an empty stream for an empty one", async () => {
    expect(await store().getStream("wf-stream", "nothing.bin")).toBeNull();
    await store().put("wf-stream", "gone.bin", "x");
    await nats.topo.artifacts.delete(ArtifactStore.objectName("wf-stream", "gone.bin"));
    expect(await store().getStream("wf-stream", "gone.bin")).toBeNull();
    await store().put("wf-stream", "empty.bin", new Uint8Array(0));
    expect(new Uint8Array(await new Response((await store().getStream("wf-stream", "empty.bin"))!).arrayBuffer()).byteLength).toBe(0);
  });

  it("with a digest, gives that version only: null once the object holds other bytes", async () => {
    const first = await store().put("wf-stream", "data/versioned.json", "first version");
    const stream = (await store().getStream("wf-stream", "data/versioned.json", { digest: first.digest }))!;
    expect(await new Response(stream).text()).toBe("first version");
    await store().put("wf-stream", "data/versioned.json", "second version");
    expect(await store().getStream("wf-stream", "data/versioned.json", { digest: first.digest })).toBeNull();
    expect(await store().getStream("wf-stream", "absent.json", { digest: first.digest })).toBeNull();
  });

  it("get reads an artifact replaced while it was read as it now is (the old version's chunks are purged by the put)", async () => {
    const os = nats.topo.artifacts;
    const artifacts = store();
    await artifacts.put("wf-replaced", "issues/summary.json", randomBytes(3 * CHUNK));
    const newer = randomBytes(2 * CHUNK + 7);
    // The first read looks the object up, and then another writer replaces it before a chunk is read.
    const info = vi.spyOn(os, "info");
    info.mockImplementationOnce(async (name) => {
      const before = await os.info(name);
      await artifacts.put("wf-replaced", "issues/summary.json", newer);
      return before;
    });
    try {
      const bytes = await artifacts.get("wf-replaced", "issues/summary.json");
      expect(Buffer.from(bytes!).equals(newer)).toBe(true);
      expect(info.mock.calls.length).toBeGreaterThanOrEqual(3); // looked up, found replaced, read again
    } finally {
      info.mockRestore();
    }
  });
});
