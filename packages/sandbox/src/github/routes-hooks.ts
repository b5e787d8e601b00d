/**
 * Repository webhooks (GH-OAS 23.0.1: repos/create-webhook, list-webhooks, get-webhook,
 * update-webhook, delete-webhook). Deliveries are always JSON (the kit posts raw bytes);
 * `content_type: "form"` is accepted and echoed but not emulated.
 */
import type { SandboxRequest } from "../kit/types.js";
import type { GitHubRoute, RepoScope } from "./pipeline.js";
import { DOCS, GitHubHttpError, notFound } from "./errors.js";
import { parseCreateHook, parseUpdateHook } from "./hook-input.js";
import type { HookRegistry } from "./hook-registry.js";
import { type HookFacts, renderHook } from "./hook-view.js";
import { ok, pagedList } from "./respond.js";

export function hookRoutes(hooks: HookRegistry): GitHubRoute[] {
  const render = (scope: RepoScope, hook: HookFacts) => renderHook(scope.links, scope.repo, hook);
  const hookFromPath = (req: SandboxRequest, scope: RepoScope, doc: string): HookFacts => {
    const hook = hooks.find(scope.repo, req.params.hook_id ?? "");
    if (!hook) throw new GitHubHttpError(notFound(doc));
    return hook;
  };
  return [
    {
      method: "POST",
      path: "/hooks",
      repo: true,
      cost: "create",
      handle(req, scope) {
        const { config, events, active } = parseCreateHook(req.json(), DOCS.createHook);
        const rendered = render(scope, hooks.create(scope.repo, config, events, active, scope.now));
        return ok(rendered, 201, { location: rendered.url });
      },
    },
    {
      method: "GET",
      path: "/hooks",
      repo: true,
      cost: "read",
      handle(req, scope) {
        return pagedList(req, scope, hooks.inRepo(scope.repo), (hook) => render(scope, hook));
      },
    },
    {
      method: "GET",
      path: "/hooks/:hook_id",
      repo: true,
      cost: "read",
      handle(req, scope) {
        return ok(render(scope, hookFromPath(req, scope, DOCS.getHook)));
      },
    },
    {
      method: "PATCH",
      path: "/hooks/:hook_id",
      repo: true,
      cost: "write",
      handle(req, scope) {
        const hook = hookFromPath(req, scope, DOCS.updateHook);
        return ok(render(scope, hooks.update(hook, parseUpdateHook(req.json(), DOCS.updateHook), scope.now)));
      },
    },
    {
      method: "DELETE",
      path: "/hooks/:hook_id",
      repo: true,
      cost: "write",
      handle(req, scope) {
        hooks.remove(hookFromPath(req, scope, DOCS.deleteHook));
        return { status: 204 };
      },
    },
  ];
}
