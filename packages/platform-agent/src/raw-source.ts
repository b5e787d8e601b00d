/**
 * The bytes a platform record was parsed from, kept (off the JS heap, as a view of its page's
 * buffer) beside the parsed record, so that its raw copy in the collected output is those bytes
 * rather than a JSON.stringify of the record again. Kept as bytes, not text: texts held from a
 * page's arrival to its emission survived the young-generation collections and cost as much GC as
 * the stringify saved (measured). The contract: a record with kept bytes is changed only through
 * `setRawField`, which records the addition; anything else must `forgetRawSource` first.
 */
const SOURCE = Symbol("pmo.rawSource");

interface Source {
  bytes: Uint8Array;
  /** Members added since parsing, as JSON text: `,"name":value` each. */
  added: string;
}

type WithSource = { [SOURCE]?: Source };

/** Keeps `bytes` (exactly the JSON object `record` was parsed from) as its source. Not enumerable: JSON.stringify, Object.keys and spreads do not see it. */
export function rememberRawBytes(record: object, bytes: Uint8Array): void {
  Object.defineProperty(record, SOURCE, { value: { bytes, added: "" } satisfies Source, writable: true, configurable: true, enumerable: false });
}

export function forgetRawSource(record: object): void {
  delete (record as WithSource)[SOURCE];
}

/** The record as JSON, in pieces to write one after the other: its kept bytes (and what was added since), else its JSON.stringify. */
export function rawPieces(record: unknown): (string | Uint8Array)[] {
  const source = record !== null && typeof record === "object" ? (record as WithSource)[SOURCE] : undefined;
  if (!source) return [JSON.stringify(record)];
  if (!source.added) return [source.bytes];
  // The object's bytes up to its closing brace, the added members, the brace.
  return [source.bytes.subarray(0, source.bytes.lastIndexOf(0x7d)), `${source.added}}`];
}

/** Sets a field of a record, and records it for its kept bytes (a field the bytes already hold: the bytes are dropped, it is stringified). */
export function setRawField(record: object, key: string, value: unknown): void {
  const had = Object.prototype.hasOwnProperty.call(record, key);
  (record as Record<string, unknown>)[key] = value;
  const source = (record as WithSource)[SOURCE];
  if (!source) return;
  if (had || isEmptyObject(source.bytes)) {
    forgetRawSource(record);
    return;
  }
  source.added += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
}

/** `{}` (with any whitespace): a member cannot be appended after a comma. */
function isEmptyObject(bytes: Uint8Array): boolean {
  for (let i = 1; i < bytes.length - 1; i++) if (bytes[i] !== 0x20 && bytes[i] !== 0x0a && bytes[i] !== 0x0d && bytes[i] !== 0x09) return false;
  return true;
}
