import { JobOp } from "@pmo/contracts";
import type { AgentEnvironment, PlatformAgentDefinition } from "@pmo/platform-agent";
import { pollClickUpChanges } from "./change-poller.js";
import { collectHandler } from "./collect.js";
import { clickUpContext, type ClickUpContext } from "./context.js";
import { manageHandler } from "./manage.js";
import { verifyHandler } from "./verify.js";
import { registerClickUpWebhook } from "./webhook-registration.js";
import { WebhookSecrets } from "./webhook-secrets.js";
import { clickUpWebhookAdapter } from "./webhook.js";

/** @default 100 requests a minute per token: ClickUp's Free Forever / Unlimited / Business plans. */
export const CLICKUP_DEFAULT_QUOTA = { limit: 100, windowMs: 60_000 };

/** One client (one keep-alive pool) per agent environment, shared by the handlers and the admin commands. */
const contexts = new WeakMap<AgentEnvironment, ClickUpContext>();
function contextOf(env: AgentEnvironment): ClickUpContext {
  let cu = contexts.get(env);
  if (!cu) contexts.set(env, (cu = clickUpContext(env)));
  return cu;
}

/**
 * The registered webhooks' secrets. One per definition, not per environment: the kit takes the
 * webhook adapter from the definition itself, and one process runs one agent.
 */
const webhookSecrets = new WebhookSecrets();

/** clickup-agent: the only part of the system that speaks ClickUp's API. */
export const clickUpAgent: PlatformAgentDefinition = {
  platform: "clickup",
  defaultQuota: CLICKUP_DEFAULT_QUOTA,
  webhook: clickUpWebhookAdapter(webhookSecrets),
  handlers(env) {
    const cu = contextOf(env);
    return { [JobOp.Verify]: verifyHandler(cu), [JobOp.Collect]: collectHandler(cu), [JobOp.Manage]: manageHandler(cu) };
  },
  components: (env) => [webhookSecrets.follow(env.kit.topology.kv.Cursors, env.log)],
  registerWebhook: (env, request) => registerClickUpWebhook(contextOf(env), webhookSecrets, request),
  pollChanges: (env, since, signal) => pollClickUpChanges(contextOf(env), since, signal),
};
