import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../harness/processes.js";

/**
 * docker-compose.yml read the way compose reads it, for tests that run the compose wiring without a
 * Docker engine: YAML merge keys, `${VAR}` interpolation from an env file's values, override files
 * merged onto the base (maps merged key by key, lists replaced, volumes and ports appended).
 */
export interface ComposeService {
  name: string;
  image?: string;
  command: string[];
  environment: Record<string, string>;
  volumes: Array<{ source: string; target: string; bind: boolean; readOnly: boolean }>;
  ports: string[];
  dependsOn: Record<string, { condition: string }>;
  replicas: number;
  healthcheck?: { test: string[] };
  raw: Record<string, unknown>;
}

export interface ComposeProject {
  services: Record<string, ComposeService>;
  volumes: string[];
}

export class ComposeInterpolationError extends Error {
  override name = "ComposeInterpolationError";
}

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Compose's interpolation: `${X}`, `$X`, `${X:-default}`, `${X-default}`, `${X:?error}`, `${X?error}`, `${X:+alt}`, `$$`. */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(VARIABLE, (whole, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (whole === "$$") return "$";
    const name = (braced ?? bare)!;
    const value = vars[name];
    const unset = value === undefined;
    const empty = unset || value === "";
    switch (op) {
      case ":-":
        return empty ? arg! : value!;
      case "-":
        return unset ? arg! : value!;
      case ":?":
      case "?":
        if (op === ":?" ? empty : unset) throw new ComposeInterpolationError(`${name}: ${arg || "required variable is missing"}`);
        return value!;
      case ":+":
        return empty ? "" : arg!;
      case "+":
        return unset ? "" : arg!;
      default:
        return value ?? "";
    }
  });
}

function interpolateTree(node: unknown, vars: Record<string, string | undefined>): unknown {
  if (typeof node === "string") return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((n) => interpolateTree(n, vars));
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateTree(v, vars)]));
  return node;
}

const APPENDED_LISTS = new Set(["volumes", "ports"]);

/** Compose's merge of an override file: maps merge, `volumes`/`ports` append, other lists and scalars replace. */
function mergeOverride(base: unknown, over: unknown, key = ""): unknown {
  if (Array.isArray(base) && Array.isArray(over)) return APPENDED_LISTS.has(key) ? [...base, ...over] : over;
  if (base && over && typeof base === "object" && typeof over === "object" && !Array.isArray(base) && !Array.isArray(over)) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeOverride(out[k], v, k) : v;
    return out;
  }
  return over ?? base;
}

/** Parses one compose file: merge keys resolved, `x-*` extension fields dropped, variables interpolated. */
export function readComposeFile(file: string, vars: Record<string, string | undefined>): Record<string, unknown> {
  const doc = parse(readFileSync(resolve(REPO_ROOT, file), "utf8"), { merge: true }) as Record<string, unknown>;
  const kept = Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith("x-")));
  return interpolateTree(kept, vars) as Record<string, unknown>;
}

/** Reads `files` (base first, overrides after) into services with normalised fields. */
export function loadCompose(files: string[], vars: Record<string, string | undefined>): ComposeProject {
  const merged = files.map((f) => readComposeFile(f, vars)).reduce((a, b) => mergeOverride(a, b) as Record<string, unknown>);
  const services = (merged.services ?? {}) as Record<string, Record<string, unknown>>;
  return {
    services: Object.fromEntries(Object.entries(services).map(([name, raw]) => [name, normaliseService(name, raw)])),
    volumes: Object.keys((merged.volumes ?? {}) as object),
  };
}

function normaliseService(name: string, raw: Record<string, unknown>): ComposeService {
  const command = raw.command === undefined ? [] : Array.isArray(raw.command) ? raw.command.map(String) : String(raw.command).split(/\s+/);
  const envRaw = raw.environment ?? {};
  const environment = Array.isArray(envRaw)
    ? Object.fromEntries(envRaw.map((e: string) => [e.split("=")[0]!, e.slice(e.indexOf("=") + 1)]))
    : Object.fromEntries(Object.entries(envRaw as Record<string, unknown>).map(([k, v]) => [k, v === null ? "" : String(v)]));
  const volumes = ((raw.volumes ?? []) as string[]).map((spec) => {
    const [source, target, mode] = spec.split(":");
    const bind = source!.startsWith(".") || source!.startsWith("/");
    return { source: bind ? resolve(REPO_ROOT, source!) : source!, target: target!, bind, readOnly: mode === "ro" };
  });
  const dependsRaw = raw.depends_on ?? {};
  const dependsOn = Array.isArray(dependsRaw)
    ? Object.fromEntries(dependsRaw.map((d: string) => [d, { condition: "service_started" }]))
    : (dependsRaw as Record<string, { condition: string }>);
  const deploy = (raw.deploy ?? {}) as { replicas?: number };
  return {
    name,
    image: raw.image as string | undefined,
    command,
    environment,
    volumes,
    ports: ((raw.ports ?? []) as unknown[]).map(String),
    dependsOn,
    replicas: deploy.replicas ?? 1,
    healthcheck: raw.healthcheck as { test: string[] } | undefined,
    raw,
  };
}

/** The values a user's `.env` would hold: `.env.example`'s keys, every `*_PASSWORD` filled with a fresh random value. */
export function exampleEnvWithPasswords(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(resolve(REPO_ROOT, ".env.example"), "utf8").split("\n")) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    vars[m[1]!] = m[1]!.endsWith("_PASSWORD") && !m[2] ? randomSecret() : m[2]!;
  }
  return vars;
}

/** Like deploy/make-env.sh: a letter first, since nats-server reads a leading digit as a number. */
function randomSecret(): string {
  return "pmo" + Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, "0")).join("");
}
