/**
 * Runs the sandbox until SIGINT/SIGTERM:
 *   tsx packages/sandbox/src/main.ts --seed 42 --items 500 \
 *     [--port-clickup 0 --port-github 0 --port-plane 0] [--host 127.0.0.1] [--time-scale 1] \
 *     [--github-prefix /api/v3] [--config-out ./config-sandbox] [--project-id web]
 * Prints the URLs (and the config directory) as one JSON line on stdout, so a parent process
 * (`pmo sandbox`, `pmo demo`) can read where everything is.
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { startSandbox, writeSandboxConfig } from "./index.js";

/** @default 42 */
const DEFAULT_SEED = 42;
/** @default 500 items per platform: rich enough to explore, quick to start. */
const DEFAULT_ITEMS = 500;

export class SandboxUsageError extends Error {
  override readonly name = "SandboxUsageError";
}

function integer(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new SandboxUsageError(`--${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/**
 * Starts the sandbox from command-line words (also `pmo sandbox …`), writes the config if asked, and
 * resolves when SIGINT/SIGTERM has shut it down. Throws SandboxUsageError on bad words.
 */
export async function runSandbox(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
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
  if (githubPrefix !== "" && githubPrefix !== "/api/v3") throw new SandboxUsageError(`--github-prefix must be "" or "/api/v3"`);
  const timeScale = values["time-scale"] === undefined ? 1 : Number(values["time-scale"]);
  if (!(timeScale > 0)) throw new SandboxUsageError("--time-scale must be a positive number");

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
  console.error(
    [
      `sandbox up (seed ${sandbox.truth.seed}, ${sandbox.truth.items.clickup.length} items per platform):`,
      `  ClickUp  ${sandbox.urls.clickup}   Authorization: ${sandbox.credentials.clickupToken}`,
      `  GitHub   ${sandbox.urls.github}   Authorization: token ${sandbox.credentials.githubToken}`,
      `  Plane    ${sandbox.urls.plane}   X-API-Key: ${sandbox.credentials.planeApiKey}`,
      configDir ? `  config written to ${configDir}: start the mesh on it with PMO_CONFIG_DIR=${configDir} pmo up` : "  (no config written: pass --config-out DIR)",
      "Ctrl-C stops it.",
    ].join("\n"),
  );

  await new Promise<void>((resolve, reject) => {
    const stop = (signal: string) => {
      console.error(`sandbox: ${signal}, shutting down`);
      sandbox.close().then(resolve, reject);
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}

// Run directly (tsx packages/sandbox/src/main.ts …), not when imported by `pmo sandbox`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSandbox(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof SandboxUsageError ? `sandbox: ${err.message}` : err);
      process.exit(2);
    },
  );
}
