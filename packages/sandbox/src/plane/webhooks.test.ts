import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pyFloat, pythonJsonDumps } from "./python-json.js";
import { signPlaneWebhook, verifyPlaneWebhook } from "./signature.js";
import { startPlaneSandbox, type PlaneSandbox } from "./test-sandbox.js";

describe("Python json.dumps rendering", () => {
  it("reproduces the reference's test vector byte for byte", () => {
    const body = pythonJsonDumps({ event: "issue", action: "created", webhook_id: "w1", workspace_id: "ws1", data: { id: "i1" }, activity: null });
    expect(body).toBe('{"event": "issue", "action": "created", "webhook_id": "w1", "workspace_id": "ws1", "data": {"id": "i1"}, "activity": null}');
    expect(signPlaneWebhook("plane_wh_0123456789abcdef0123456789abcdef", body)).toBe("bf6160a5f85af59b6bff363dd531fc817b3f5e8e9bdc190b3b5209c2463c0e66");
  });

  it("escapes like ensure_ascii=True and writes floats as Python's repr", () => {
    expect(pythonJsonDumps({ s: 'é "q" \\ \n\t\u0001 😀' })).toBe('{"s": "\\u00e9 \\"q\\" \\\\ \\n\\t\\u0001 \\ud83d\\ude00"}');
    expect(pythonJsonDumps([1, 2.5, pyFloat(65535), pyFloat(1e16), pyFloat(0.00001), pyFloat(123456.789), true, [], {}])).toBe(
      "[1, 2.5, 65535.0, 1e+16, 1e-05, 123456.789, true, [], {}]",
    );
  });
});

describe("Plane webhook deliveries", () => {
  let sb: PlaneSandbox;
  let receiver: Server;
  const received: { headers: Record<string, string | string[] | undefined>; body: Buffer }[] = [];
  const secret = "plane_wh_0123456789abcdef0123456789abcdef";

  beforeAll(async () => {
    sb = await startPlaneSandbox({ itemsPerPlatform: 30 });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const port = (receiver.address() as AddressInfo).port;
    sb.ctx.webhooks.register({ platform: "plane", url: `http://127.0.0.1:${port}/hook`, secret, events: ["issue"], scope: null });
  });
  afterAll(async () => {
    await sb.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it("sends one signed v1 delivery per changed field, verifiable over the raw body", async () => {
    const item = sb.ctx.truth.items.plane.find((i) => i.container === sb.projectId && i.deletedAt === null && i.status !== "done")!;
    const done = sb.ctx.truth.plane.states.find((s) => s.projectId === sb.projectId && s.category === "done")!;
    const patched = await sb.call("PATCH", `/api/v1/workspaces/${sb.slug}/projects/${sb.projectId}/work-items/${item.id}/`, {
      body: { state: done.id, priority: item.priority === "urgent" ? "low" : "urgent" },
    });
    expect(patched.status).toBe(200);
    await sb.ctx.hub.idle();
    expect(received).toHaveLength(2);

    for (const delivery of received) {
      expect(delivery.headers["x-plane-event"]).toBe("issue");
      expect(delivery.headers["user-agent"]).toBe("Autopilot");
      expect(delivery.headers["x-plane-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
      const signature = String(delivery.headers["x-plane-signature"]);
      expect(verifyPlaneWebhook(secret, delivery.body, signature)).toBe(true);
      const tampered = Buffer.from(delivery.body);
      const at = tampered.length - 2;
      tampered.writeUInt8(tampered.readUInt8(at) ^ 1, at);
      expect(verifyPlaneWebhook(secret, tampered, signature)).toBe(false);

      // The bytes are json.dumps output: Python separators and floats, ASCII only.
      const text = delivery.body.toString("utf8");
      expect(text.startsWith('{"event": "issue", "action": "updated", "webhook_id": "')).toBe(true);
      expect(text).toContain('"sort_order": 65535.0');
      const parsed = JSON.parse(text);
      expect(pythonJsonDumps(parsed, { floatKeys: new Set(["sort_order", "sequence", "epoch"]) })).toBe(text);
      expect(Object.keys(parsed)).toEqual(["event", "action", "webhook_id", "workspace_id", "data", "activity"]);
      expect(parsed.data.id).toBe(item.id);
    }
    const stateDelivery = received.map((d) => JSON.parse(d.body.toString("utf8"))).find((p) => p.activity.field === "state");
    expect(stateDelivery.activity).toMatchObject({ new_value: done.id, old_identifier: null, new_identifier: null });
    expect(stateDelivery.data.state).toEqual({ id: done.id, name: done.name, color: done.color, group: done.group });
    expect(stateDelivery.activity.actor.id).toBe(sb.ctx.truth.people[0]!.planeId);
  });
});
