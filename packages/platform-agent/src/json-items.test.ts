import { describe, expect, it } from "vitest";
import { parseJsonItems } from "./json-items.js";
import { rawPieces, setRawField } from "./raw-source.js";

const text = (pieces: (string | Uint8Array)[]) => pieces.map((p) => (typeof p === "string" ? p : Buffer.from(p).toString("utf8"))).join("");

const page = {
  tasks: [
    { id: "a", name: 'br]ace} "quoted" \\ back\\slash [x]', n: [1, { x: null, y: [true, false] }], u: "ünïcödé 🎉 \u2028" },
    { id: "b", empty: {}, list: [], num: -1.5e3 },
  ],
  last_page: true,
};

describe("parseJsonItems", () => {
  const documents: Record<string, string> = {
    compact: JSON.stringify(page),
    "pretty-printed": JSON.stringify(page, null, 2),
    "items not first": JSON.stringify({ last_page: false, meta: { tasks: [9] }, tasks: page.tasks }),
    "empty array": '{ "tasks" : [ ] , "last_page": true }',
    "no such member": JSON.stringify({ other: [1, 2] }),
    "member not an array": '{"tasks": 5}',
    "top-level array": JSON.stringify([page]),
    "elements of every kind": '{"tasks":[1, true, null, "s", [2], {"k":"v"}]}',
    "a second member of the same name (the last wins, as in JSON.parse)": '{"tasks":[{"id":"first"}],"tasks":[{"id":"second"}]}',
    "with a byte-order mark": `\uFEFF${JSON.stringify(page)}`,
  };
  for (const [name, doc] of Object.entries(documents)) {
    it(`gives what JSON.parse gives: ${name}`, () => {
      expect(parseJsonItems(Buffer.from(doc), "tasks")).toEqual(JSON.parse(doc.replace(/^\uFEFF/, "")));
    });
  }

  it("fails, as JSON.parse would, on what is not JSON", () => {
    const bad = ['{"tasks":[{"id":"a"} {"id":"b"}]}', '{"tasks":[{"id":"a"},{"id":', '{"tasks":[{"id":a}]}', '{"tasks":[{"id":"a"}],}', '{"tasks":[{"id":"a"}]'];
    for (const doc of bad) expect(() => parseJsonItems(Buffer.from(doc), "tasks"), doc).toThrow(SyntaxError);
  });

  it("keeps each record's bytes as its raw JSON: exactly as received, and what is set through setRawField comes along", () => {
    const doc = JSON.stringify(page);
    const { tasks } = parseJsonItems(Buffer.from(doc), "tasks") as typeof page;
    expect(text(rawPieces(tasks[0]))).toBe(JSON.stringify(page.tasks[0]));
    expect(rawPieces(tasks[0])).toHaveLength(1);
    expect(rawPieces(tasks[0])[0]).toBeInstanceOf(Uint8Array);
    setRawField(tasks[1]!, "pmo_time_in_status", { current_status: { status: "open", total_time: { by_minute: 3 } } });
    expect(JSON.parse(text(rawPieces(tasks[1])))).toEqual(tasks[1]);
    // Invisible to JSON.stringify, Object.keys and spreads.
    expect(Object.keys(tasks[0]!)).toEqual(Object.keys(page.tasks[0]!));
    expect(JSON.stringify({ ...tasks[0] })).toBe(JSON.stringify(page.tasks[0]));
  });

  it("stringifies instead where the bytes cannot serve: a record on several lines, a field set twice, an empty record extended", () => {
    const pretty = parseJsonItems(Buffer.from(JSON.stringify(page, null, 2)), "tasks") as typeof page;
    expect(rawPieces(pretty.tasks[0])).toEqual([JSON.stringify(pretty.tasks[0])]);
    const { tasks } = parseJsonItems(Buffer.from('{"tasks":[{"id":"a","x":1},{ }]}'), "tasks") as { tasks: Record<string, unknown>[] };
    setRawField(tasks[0]!, "x", 2);
    expect(rawPieces(tasks[0])).toEqual(['{"id":"a","x":2}']);
    setRawField(tasks[1]!, "added", true);
    expect(rawPieces(tasks[1])).toEqual(['{"added":true}']);
    expect(rawPieces({ plain: 1 })).toEqual(['{"plain":1}']);
  });
});
