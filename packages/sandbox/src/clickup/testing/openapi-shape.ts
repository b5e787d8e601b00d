/**
 * Reads response examples out of ClickUp's OpenAPI document (the reference copy beside
 * platform-apis.md) and compares a live response's shape with them: every key the example has,
 * with a compatible JSON type, recursively.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The examples extracted from ClickUp's OpenAPI document (openapi-examples.json, committed; see
 * extract-examples.py). CLICKUP_OPENAPI_SPEC points the test at a full copy of the spec instead.
 */
export const SPEC_PATH = process.env.CLICKUP_OPENAPI_SPEC ?? fileURLToPath(new URL("./openapi-examples.json", import.meta.url));

type Json = any;

export function loadSpec(): Json {
  if (!existsSync(SPEC_PATH)) throw new Error(`ClickUp OpenAPI spec not found at ${SPEC_PATH} (set CLICKUP_OPENAPI_SPEC)`);
  return JSON.parse(readFileSync(SPEC_PATH, "utf8"));
}

/** The 2xx example of `method path`: content.example, or the schema's first `examples` entry. */
export function responseExample(spec: Json, path: string, method: string): Json {
  const op = spec.paths[path]?.[method];
  if (!op) throw new Error(`no ${method} ${path} in the spec`);
  const [, response] = Object.entries(op.responses as Record<string, Json>).find(([code]) => code.startsWith("2"))!;
  const content = response.content["application/json"];
  return content.example ?? content.examples?.[0] ?? content.schema?.example ?? content.schema?.examples?.[0];
}

function jsonType(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

export interface ShapeRules {
  /** Dotted paths ("tasks.*.points") the live response may leave out. */
  optional?: string[];
  /** Paths where the live value may be null although the example has a value. */
  nullable?: string[];
  /** Paths whose value is not compared at all (e.g. polymorphic custom field values). */
  free?: string[];
}

/** Differences between `actual` and `example`, as readable lines (empty = conforms). */
export function shapeDiff(actual: unknown, example: unknown, rules: ShapeRules = {}, path = ""): string[] {
  const match = (list: string[] | undefined) => (list ?? []).some((p) => new RegExp(`^${p.replace(/\./g, "\\.").replace(/\*/g, "[^.]+")}$`).test(path));
  if (match(rules.free)) return [];
  const [a, e] = [jsonType(actual), jsonType(example)];
  if (e === "null") return []; // the example does not say what a set value looks like
  if (a !== e) return a === "null" && match(rules.nullable) ? [] : [`${path || "(root)"}: ${a}, example has ${e}`];
  if (e === "array") {
    const [first] = actual as unknown[];
    const [model] = example as unknown[];
    return first !== undefined && model !== undefined ? shapeDiff(first, model, rules, `${path}.*`.replace(/^\./, "")) : [];
  }
  if (e !== "object") return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(example as Record<string, unknown>)) {
    const child = path ? `${path}.${key}` : key;
    if (!(key in (actual as object))) {
      const saved = path;
      path = child;
      if (!match(rules.optional)) out.push(`${child}: missing`);
      path = saved;
      continue;
    }
    out.push(...shapeDiff((actual as Record<string, unknown>)[key], value, rules, child));
  }
  return out;
}
