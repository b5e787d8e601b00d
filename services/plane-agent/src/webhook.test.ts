import { describe, expect, it } from "vitest";
import { normalisePlaneDelivery, verifyPlaneSignature } from "./webhook.js";

// The reference's test vector (platform-apis.md §3.8a), computed from Plane's own signing code.
const SECRET = "plane_wh_0123456789abcdef0123456789abcdef";
const BODY = '{"event": "issue", "action": "created", "webhook_id": "w1", "workspace_id": "ws1", "data": {"id": "i1"}, "activity": null}';
const SIGNATURE = "bf6160a5f85af59b6bff363dd531fc817b3f5e8e9bdc190b3b5209c2463c0e66";

describe("Plane webhook signature", () => {
  it("accepts Plane's hex HMAC over the raw body and refuses any other body, secret or signature", () => {
    expect(verifyPlaneSignature(Buffer.from(BODY), { "x-plane-signature": SIGNATURE }, SECRET)).toBe(true);
    expect(verifyPlaneSignature(Buffer.from(BODY), { "x-plane-signature": SIGNATURE.toUpperCase() }, SECRET)).toBe(true);
    expect(verifyPlaneSignature(Buffer.from(BODY.replace("i1", "i2")), { "x-plane-signature": SIGNATURE }, SECRET)).toBe(false);
    expect(verifyPlaneSignature(Buffer.from(BODY), { "x-plane-signature": SIGNATURE }, `${SECRET}x`)).toBe(false);
    expect(verifyPlaneSignature(Buffer.from(BODY), {}, SECRET)).toBe(false);
  });
});

describe("Plane deliveries as events", () => {
  const at = new Date("2026-11-02T09:00:00Z");
  const headers = (event: string) => ({ "x-plane-event": event, "x-plane-delivery": "d-1" });

  it("turns a state change into status.changed with the state names, keyed by the delivery id", () => {
    const [e] = normalisePlaneDelivery(
      { event: "issue", action: "updated", data: { id: "i1", updated_at: "2026-11-02T08:00:00.123456Z" }, activity: { field: "state", old_value: "Todo", new_value: "In Review", actor: { display_name: "ada" } } },
      headers("issue"),
      at,
    );
    expect(e).toEqual({ id: "plane:d-1", platform: "plane", type: "status.changed", itemRef: { platform: "plane", id: "i1" }, at: "2026-11-02T08:00:00.123Z", actor: "ada", changes: [{ field: "status", from: "Todo", to: "In Review" }] });
  });

  it("reads both spellings of the action and maps comments, deletions and containers", () => {
    expect(normalisePlaneDelivery({ event: "issue", action: "update", data: { id: "i1" }, activity: { field: "priority", old_value: "low", new_value: "high" } }, headers("issue"), at)[0]).toMatchObject({ type: "item.updated", changes: [{ field: "priority", from: "low", to: "high" }] });
    expect(normalisePlaneDelivery({ event: "issue", action: "deleted", data: { id: "i1" } }, headers("issue"), at)[0]).toMatchObject({ type: "item.deleted", at: at.toISOString() });
    expect(normalisePlaneDelivery({ event: "issue_comment", action: "created", data: { id: "c1", issue: "i1" } }, headers("issue_comment"), at)[0]).toMatchObject({ type: "comment.added", itemRef: { id: "i1" } });
    expect(normalisePlaneDelivery({ event: "cycle", action: "updated", data: { id: "cy" } }, headers("cycle"), at)[0]).toMatchObject({ type: "container.changed", itemRef: null });
    expect(normalisePlaneDelivery({ event: "issue_link", action: "created", data: {} }, headers("issue_link"), at)).toEqual([]);
  });
});
