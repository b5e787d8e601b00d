/**
 * Repository webhooks: POST registers with the kit (which delivers what `webhook-view.ts` renders),
 * GET lists this repo's registrations. Deliveries are always JSON (the kit posts raw bytes);
 * `content_type: "form"` is accepted and echoed but not emulated.
 */
import type { SandboxContext } from "../kit/types.js";
import type { GitHubRoute } from "./pipeline.js";
import { DOCS, validationFailed } from "./errors.js";
import { type HookFacts, renderHook } from "./hook-view.js";
import { requireObject } from "./issue-input.js";
import { ok, pagedList } from "./respond.js";

/** GitHub hook ids are integers; new ones continue after the largest numeric id registered so far. */
const FIRST_HOOK_ID = 400_000_001;

export function hookRoutes(ctx: SandboxContext): GitHubRoute[] {
  const details = new Map<string, Omit<HookFacts, "registration">>();
  const nextId = () => {
    const ids = ctx.webhooks.list("github").map((r) => Number(r.id)).filter(Number.isFinite);
    return String(Math.max(FIRST_HOOK_ID - 1, ...ids) + 1);
  };
  return [
    {
      method: "POST",
      path: "/hooks",
      repo: true,
      cost: "create",
      handle(req, scope) {
        const body = requireObject(req.json(), DOCS.createHook);
        const config = (body.config ?? {}) as Record<string, unknown>;
        if (typeof config.url !== "string" || config.url === "") {
          return validationFailed([{ resource: "Hook", code: "custom", message: "Config must contain URL for webhooks" }], DOCS.createHook);
        }
        const events = Array.isArray(body.events) && body.events.every((e) => typeof e === "string") ? (body.events as string[]) : ["push"];
        const registration = ctx.webhooks.register({
          id: nextId(),
          platform: "github",
          url: config.url,
          secret: typeof config.secret === "string" ? config.secret : "",
          events,
          scope: scope.repo.fullName,
        });
        const facts: Omit<HookFacts, "registration"> = {
          active: body.active !== false,
          contentType: typeof config.content_type === "string" ? config.content_type : "form",
          insecureSsl: String(config.insecure_ssl ?? "0"),
          createdAt: scope.now,
        };
        details.set(registration.id, facts);
        const rendered = renderHook(scope.links, scope.repo, { registration, ...facts });
        return ok(rendered, 201, { location: rendered.url });
      },
    },
    {
      method: "GET",
      path: "/hooks",
      repo: true,
      cost: "read",
      handle(req, scope) {
        const mine = ctx.webhooks.list("github").filter((r) => r.scope === scope.repo.fullName);
        const fallback = { active: true, contentType: "json", insecureSsl: "0", createdAt: scope.now };
        return pagedList(req, scope, mine, (registration) => renderHook(scope.links, scope.repo, { registration, ...(details.get(registration.id) ?? fallback) }));
      },
    },
  ];
}
