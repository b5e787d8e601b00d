import { JobOp } from "@pmo/contracts";
import type { PlatformAgentDefinition } from "@pmo/platform-agent";
import { planeAgentContext } from "./agent-context.js";
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
};
