/**
 * Renders a value as Python's `json.dumps` does. Two callers need those exact bytes:
 * - webhooks: Plane signs `json.dumps(payload)` with default arguments — separators `", "` / `": "`,
 *   `ensure_ascii=True` (every non-ASCII code unit as `\uXXXX`, lowercase hex) — and
 *   `requests.post(json=…)` sends the same bytes;
 * - API answers: DRF's JSONRenderer uses compact separators and `ensure_ascii=False`.
 * In both, Python floats are written in their `repr` form (`65535.0`, `1e-05`, `1e+16`).
 */

/** Marks a number that Python holds as a float, so it is written with a fraction or exponent. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export const pyFloat = (value: number): PyFloat => new PyFloat(value);

export interface PythonJsonOptions {
  /** DRF's `separators=(",", ":")` instead of json.dumps' default `(", ", ": ")`. @default false */
  compact?: boolean;
  /** json.dumps' default escaping of non-ASCII; DRF turns it off. @default true */
  ensureAscii?: boolean;
  /** Object keys whose numeric values are Python floats (model FloatFields) wherever they occur. */
  floatKeys?: ReadonlySet<string>;
}

export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  const item = options.compact ? "," : ", ";
  const pair = options.compact ? ":" : ": ";
  const ensureAscii = options.ensureAscii ?? true;
  const floatKeys = options.floatKeys ?? new Set<string>();
  const text = (s: string) => (ensureAscii ? quoteAscii(s) : JSON.stringify(s));

  const render = (node: unknown, asFloat: boolean): string => {
    if (node === null || node === undefined) return "null";
    if (node instanceof PyFloat) return pythonFloatRepr(node.value);
    switch (typeof node) {
      case "boolean":
        return node ? "true" : "false";
      case "number":
        // A JS integer-valued number stands for a Python int unless its field is a float.
        return Number.isInteger(node) && !asFloat ? String(node) : pythonFloatRepr(node);
      case "string":
        return text(node);
      case "object":
        if (Array.isArray(node)) return `[${node.map((n) => render(n, false)).join(item)}]`;
        return `{${Object.entries(node as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${text(k)}${pair}${render(v, floatKeys.has(k))}`)
          .join(item)}}`;
      default:
        throw new TypeError(`Object of type ${typeof node} is not JSON serializable`);
    }
  };
  return render(value, false);
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

function quoteAscii(text: string): string {
  let out = '"';
  // Iterating UTF-16 code units matches Python, which writes astral characters as surrogate pairs.
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/** Python `float.__repr__`: shortest round-trip digits; exponent form when exp < -4 or exp >= 16. */
export function pythonFloatRepr(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = n.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const sign = exp < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const digits = mantissa.replace("-", "").replace(".", "");
  const negative = n < 0 ? "-" : "";
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
    const frac = digits.slice(exp + 1);
    return `${negative}${intPart}.${frac || "0"}`;
  }
  return `${negative}0.${"0".repeat(-exp - 1)}${digits}`;
}
