import { CollectedSnapshots, type AgentEnvironment } from "@pmo/platform-agent";
import { PlaneClient } from "./client.js";
import { planeSettings, webBaseUrl, type PlaneSettings } from "./settings.js";
import { StatusMapper } from "./status-mapping.js";

/** What the Plane handlers share: the platform kit's environment plus the Plane client and settings. */
export interface PlaneAgentContext {
  env: AgentEnvironment;
  client: PlaneClient;
  settings: PlaneSettings;
  mapper: StatusMapper;
  webBase: string;
  /** The projects' last snapshots: the collected outputs the project cursors name. */
  snapshots: CollectedSnapshots;
}

export function planeAgentContext(env: AgentEnvironment): PlaneAgentContext {
  const settings = planeSettings(env.config);
  const client = new PlaneClient({ baseUrl: env.config.baseUrl, token: env.token, budget: env.budget, metrics: env.metrics, log: env.log, timeoutMs: env.config.timeoutMs, retry: settings.retry });
  return { env, client, settings, mapper: new StatusMapper(settings), webBase: webBaseUrl(env.config, settings), snapshots: new CollectedSnapshots(env.artifacts) };
}
