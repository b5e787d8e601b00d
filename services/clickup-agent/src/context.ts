import { CollectedSnapshots, type AgentEnvironment } from "@pmo/platform-agent";
import { ClickUpClient } from "./client.js";
import { clickUpSettings, type ClickUpSettings } from "./settings.js";
import { StatusCategorizer } from "./status-category.js";

/** What every ClickUp handler shares: the platform-agent environment, the client, the settings. */
export interface ClickUpContext {
  env: AgentEnvironment;
  client: ClickUpClient;
  settings: ClickUpSettings;
  categorizer: StatusCategorizer;
  /** The lists' last snapshots: the collected outputs the list cursors name. */
  snapshots: CollectedSnapshots;
}

export function clickUpContext(env: AgentEnvironment): ClickUpContext {
  const settings = clickUpSettings(env.config);
  const client = new ClickUpClient({ baseUrl: env.config.baseUrl, token: env.token, budget: env.budget, metrics: env.metrics, settings, log: env.log });
  return { env, client, settings, categorizer: new StatusCategorizer(settings), snapshots: new CollectedSnapshots(env.artifacts) };
}
