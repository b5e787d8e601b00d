import { describe, expect, it } from "vitest";
import { streamJsonItems } from "./json-item-stream.js";

const entries = [
  { id: "a", task: { id: "t1" }, duration: "3600000", description: 'br]ace} "quoted" \\ back\\slash [x] {"data":[' },
  { id: "b", task: null, duration: -5, tags: [], u: "ünïcödé 🎉 \u2028" },
  { id: "c", nested: [1, { x: null, y: [true, false] }], n: -1.5e3 },
];

/** The document's bytes in chunks of `size` (a multi-byte character may be cut, as on the wire). */
async function* chunked(doc: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(doc);
  for (let i = 0; i < bytes.length; i += size) yield new Uint8Array(bytes.subarray(i, i + size));
}

async function streamed(doc: string, size: number) {
  const items: unknown[] = [];
  const rest = await streamJsonItems(chunked(doc, size), "data", (item) => void items.push(item));
  return { items, rest };
}

describe("streamJsonItems", () => {
  const documents: Record<string, string> = {
    compact: JSON.stringify({ data: entries }),
    "pretty-printed": JSON.stringify({ data: entries, total: 3 }, null, 2),
    "members before and after the array": JSON.stringify({ meta: { data: [9], s: "x" }, n: 12, data: entries, after: [1, 2] }),
    "empty array": '{ "data" : [ ] , "last": true }',
    "elements of every kind, numbers last": '{"data":[1, true, null, "s", [2], {"k":"v"}, -0.5e-3, 123456789]}',
    "with a byte-order mark": `\uFEFF${JSON.stringify({ data: entries })}`,
  };
  for (const [name, doc] of Object.entries(documents)) {
    it(`hands over each element and gives back the rest as JSON.parse reads them, in chunks of any size: ${name}`, async () => {
      const parsed = JSON.parse(doc.replace(/^\uFEFF/, "")) as { data: unknown[] };
      for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
        const { items, rest } = await streamed(doc, size);
        expect(items, `chunks of ${size}`).toEqual(parsed.data);
        expect(rest, `chunks of ${size}`).toEqual({ ...parsed, data: [] });
      }
    });
  }

  it("reads a document without the array whole, and hands over the elements of a member that is an array there", async () => {
    for (const size of [1, 5, 1 << 20]) {
      expect(await streamed('{"other":[1,2],"n":1}', size)).toEqual({ items: [], rest: { other: [1, 2], n: 1 } });
      expect(await streamed('{"data":null}', size)).toEqual({ items: [], rest: { data: null } });
      expect(await streamed("[1,2]", size)).toEqual({ items: [], rest: [1, 2] });
    }
  });

  it("fails, as JSON.parse would, on what is not JSON, wherever the chunks are cut", async () => {
    const bad = ['{"data":[{"id":"a"} {"id":"b"}]}', '{"data":[{"id":"a"},{"id":', '{"data":[{"id":a}]}', '{"data":[{"id":"a"},]}', '{"data":[,{"id":"a"}]}', '{"data":[{"id":"a"}]', '{"data":[1,2', '{"da', '{"data":[{"id":"a"}],"data":[]}'];
    for (const doc of bad) {
      for (const size of [1, 2, 4, 9, 1 << 20]) await expect(streamed(doc, size), `${doc} in chunks of ${size}`).rejects.toThrow(SyntaxError);
    }
  });

  it("hands each element over as soon as its bytes are in, before the body ends", async () => {
    const seen: number[] = [];
    let delivered = 0;
    const doc = Buffer.from(JSON.stringify({ data: Array.from({ length: 1000 }, (_, i) => ({ id: i, pad: "x".repeat(50) })) }));
    async function* slowly(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < doc.length; i += 4096) {
        yield doc.subarray(i, i + 4096);
        delivered = Math.min(doc.length, i + 4096);
        seen.push(count);
      }
    }
    let count = 0;
    await streamJsonItems(slowly(), "data", () => void count++);
    expect(count).toBe(1000);
    // Half-way through the body, about half of the elements were handed over already.
    expect(delivered).toBe(doc.length);
    expect(seen[Math.floor(seen.length / 2)]).toBeGreaterThan(400);
  });
});
