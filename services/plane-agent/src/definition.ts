import { JobOp } from "@pmo/contracts";
import type { AgentEnvironment, PlatformAgentDefinition } from "@pmo/platform-agent";
import { planeAgentContext, type PlaneAgentContext } from "./agent-context.js";
import { pollPlaneChanges } from "./change-poller.js";
import { collectHandler } from "./collect.js";
import { manageHandler } from "./manage.js";
import { verifyHandler } from "./verify.js";
import { planeWebhookAdapter } from "./webhook.js";

/** Plane's documented default quota: 60 requests per minute per API key (reference §3.6). */
export const PLANE_DEFAULT_QUOTA = { limit: 60, windowMs: 60_000 } as const;

export const planeAgent: PlatformAgentDefinition = {
  platform: "plane",
  defaultQuota: PLANE_DEFAULT_QUOTA,
  webhook: planeWebhookAdapter,
  handlers(env) {
    const agent = planeAgentContext(env);
    return {
      [JobOp.Verify]: verifyHandler(agent),
      [JobOp.Collect]: collectHandler(agent),
      [JobOp.Manage]: manageHandler(agent),
    };
  },
  pollChanges(env, since, signal) {
    return pollPlaneChanges(contextOf(env), since, signal);
  },
};

/** The poller's own context, made once per environment (its client keeps its connections). */
const contexts = new WeakMap<AgentEnvironment, PlaneAgentContext>();

function contextOf(env: AgentEnvironment): PlaneAgentContext {
  return contexts.get(env) ?? contexts.set(env, planeAgentContext(env)).get(env)!;
}
