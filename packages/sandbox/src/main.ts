/**
 * Runs the sandbox until SIGINT/SIGTERM:
 *   tsx packages/sandbox/src/main.ts --seed 42 --items 500 \
 *     [--port-clickup 0 --port-github 0 --port-plane 0] [--host 127.0.0.1] [--time-scale 1] \
 *     [--github-prefix /api/v3] [--config-out ./config-sandbox] [--project-id web]
 * Prints the URLs (and the config directory) as one JSON line on stdout, so a parent process
 * (`pmo sandbox`, `pmo demo`) can read where everything is.
 */
import { parseArgs } from "node:util";
import { startSandbox, writeSandboxConfig } from "./index.js";

/** @default 42 */
const DEFAULT_SEED = 42;
/** @default 500 items per platform: rich enough to explore, quick to start. */
const DEFAULT_ITEMS = 500;

class UsageError extends Error {
  override readonly name = "UsageError";
}

function integer(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: "string" },
      items: { type: "string" },
      "port-clickup": { type: "string" },
      "port-github": { type: "string" },
      "port-plane": { type: "string" },
      host: { type: "string" },
      "time-scale": { type: "string" },
      "github-prefix": { type: "string" },
      "config-out": { type: "string" },
      "project-id": { type: "string" },
    },
  });
  const githubPrefix = values["github-prefix"] ?? "";
  if (githubPrefix !== "" && githubPrefix !== "/api/v3") throw new UsageError(`--github-prefix must be "" or "/api/v3"`);
  const timeScale = values["time-scale"] === undefined ? 1 : Number(values["time-scale"]);
  if (!(timeScale > 0)) throw new UsageError("--time-scale must be a positive number");

  const sandbox = await startSandbox({
    seed: integer("seed", values.seed, DEFAULT_SEED),
    itemsPerPlatform: integer("items", values.items, DEFAULT_ITEMS),
    ports: {
      clickup: integer("port-clickup", values["port-clickup"], 0),
      github: integer("port-github", values["port-github"], 0),
      plane: integer("port-plane", values["port-plane"], 0),
    },
    host: values.host,
    timeScale,
    githubPrefix,
  });
  const configDir = values["config-out"];
  if (configDir) await writeSandboxConfig(configDir, sandbox, { projectId: values["project-id"] });
  // Credentials are throwaway sandbox values; printing them lets a user try curl right away.
  console.log(JSON.stringify({ ready: true, urls: sandbox.urls, credentials: sandbox.credentials, configDir: configDir ?? null }));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`sandbox: ${signal}, shutting down`);
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(err instanceof UsageError ? `sandbox: ${err.message}` : err);
  process.exit(2);
});
