/** Webhook registration → GitHub repository `hook` object (GH-OAS schema `hook`). */
import type { WebhookRegistration } from "../kit/types.js";
import type { Links } from "./links.js";
import type { RepoRecord } from "./repo-index.js";
import { isoTime } from "./ids.js";

export interface HookFacts {
  registration: WebhookRegistration;
  active: boolean;
  contentType: string;
  insecureSsl: string;
  createdAt: number;
  updatedAt: number;
}

export function renderHook(links: Links, repo: RepoRecord, hook: HookFacts) {
  const url = `${links.api}/repos/${repo.fullName}/hooks/${hook.registration.id}`;
  return {
    type: "Repository",
    id: Number(hook.registration.id),
    name: "web",
    active: hook.active,
    events: hook.registration.events,
    config: {
      content_type: hook.contentType,
      insecure_ssl: hook.insecureSsl,
      url: hook.registration.url,
      // GitHub never echoes a secret back.
      ...(hook.registration.secret ? { secret: "********" } : {}),
    },
    updated_at: isoTime(hook.updatedAt),
    created_at: isoTime(hook.createdAt),
    url,
    test_url: `${url}/test`,
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    last_response: { code: null, status: "unused", message: null },
  };
}
