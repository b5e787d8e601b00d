/**
 * A tiny platform dialect for the kit's own tests: a few routes over the GitHub items of a truth,
 * recognisable error bodies, and HMAC-signed webhooks. Not used outside tests.
 */
import { createHmac } from "node:crypto";
import { moveStatus } from "../../truth/mutate.js";
import type { StatusCategory } from "../../truth/model.js";
import type { PlatformDialect, SandboxContext, SandboxRequest } from "../types.js";

export const FAKE_TOKEN = "good-token";
export const EXPIRED_TOKEN = "expired-token";

export function signFake(secret: string, body: Buffer | string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

const STATUS = { not_found: 404, bad_json: 400, server_error: 500, rate_limited: 429, expired_token: 401 } as const;

export function createFakeDialect(ctx: SandboxContext): PlatformDialect {
  const live = () => ctx.truth.items.github.filter((i) => i.deletedAt === null);
  const find = (req: SandboxRequest) => live().find((i) => `${i.container}#${i.id}` === req.params.key);
  return {
    platform: "github",
    prefix: "/api/fake",
    routes: [
      { method: "GET", pattern: "/items", handler: () => ({ status: 200, body: live().map((i) => `${i.container}#${i.id}`) }) },
      { method: "GET", pattern: "/items/", handler: () => ({ status: 200, body: { slash: true } }) },
      {
        method: "GET",
        pattern: "/items/:key",
        handler: (req) => {
          const item = find(req);
          return item ? { status: 200, headers: { "x-fake": "1" }, body: { key: req.params.key, title: item.title, status: item.status } } : { status: 404, body: { fake_error: "not_found" } };
        },
      },
      { method: "POST", pattern: "/echo", handler: (req) => ({ status: 201, body: { got: req.json() } }) },
      {
        method: "POST",
        pattern: "/items/:key/status",
        handler: (req) => {
          const item = find(req);
          if (!item) return { status: 404, body: { fake_error: "not_found" } };
          const before = { status: item.status };
          const to = req.json<{ status: StatusCategory }>().status;
          moveStatus(item, to, ctx.now(), item.creator);
          ctx.emitChange({ platform: "github", kind: "status_changed", item, before, at: ctx.now(), by: item.creator });
          return { status: 200, body: { status: item.status } };
        },
      },
      {
        method: "GET",
        pattern: "/boom",
        handler: () => {
          throw new Error("handler bug");
        },
      },
    ],
    authenticate(req) {
      const auth = req.headers.authorization;
      if (auth === `Bearer ${FAKE_TOKEN}`) return null;
      return { status: 401, body: { fake_error: auth === `Bearer ${EXPIRED_TOKEN}` ? "expired" : "unauthorized" } };
    },
    errorResponse(kind) {
      return { status: STATUS[kind], headers: { "x-fake-error": kind }, body: { fake_error: kind } };
    },
    renderWebhook(change, registration) {
      if (!registration.events.includes("*") && !registration.events.includes(change.kind)) return null;
      const body = Buffer.from(JSON.stringify({ change: change.id, kind: change.kind, item: change.item.id, status: change.item.status }));
      return { headers: { "content-type": "application/json", "x-fake-signature": signFake(registration.secret, body) }, body };
    },
  };
}
