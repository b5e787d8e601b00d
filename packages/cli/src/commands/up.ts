import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UP_STATE_FILE } from "../connection.js";
import { startLocalMesh } from "../local-mesh.js";

/** `pmo up`: a local nats-server (unless NATS_URL is set) and every service as its own process, until Ctrl-C. */
export async function upCommand(opts: { only?: string[] }, out = process.stdout): Promise<number> {
  const configDir = resolve(process.env.PMO_CONFIG_DIR ?? "config");
  const workspaceDir = resolve(process.env.PMO_WORKSPACE_DIR ?? "project-workspace");
  const mesh = await startLocalMesh({ only: opts.only, configDir, workspaceDir, natsStoreDir: resolve(".pmo", "nats"), out });
  mkdirSync(dirname(UP_STATE_FILE), { recursive: true });
  writeFileSync(UP_STATE_FILE, JSON.stringify({ natsUrl: mesh.natsUrl, pid: process.pid, startedAt: new Date().toISOString() }));
  out.write(`mesh up: ${mesh.services.join(", ")} on ${mesh.natsUrl} (config ${configDir}, workspace ${workspaceDir}). Ctrl-C stops everything.\n`);

  const why = await new Promise<string>((res) => {
    process.once("SIGINT", () => res("SIGINT"));
    process.once("SIGTERM", () => res("SIGTERM"));
    void mesh.orchestratorExited.then(() => res("the orchestrator exited"));
  });
  out.write(`\nstopping (${why})…\n`);
  await mesh.stop();
  rmSync(UP_STATE_FILE, { force: true });
  return why.endsWith("exited") ? 1 : 0;
}
