/**
 * Plane v1 webhook signature (`bgtasks/webhook_task.py`): `X-Plane-Signature` is the lowercase hex
 * HMAC-SHA256, keyed with the webhook's secret, of `json.dumps(payload)` — which are exactly the body
 * bytes `requests.post(json=payload)` sends, so receivers verify over the raw body. No prefix.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export function signPlaneWebhook(secret: string, body: Buffer | string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** Constant-time check of a received `X-Plane-Signature` against the raw body. */
export function verifyPlaneWebhook(secret: string, body: Buffer | string, signature: string): boolean {
  const expected = Buffer.from(signPlaneWebhook(secret, body), "utf8");
  const received = Buffer.from(signature, "utf8");
  return expected.length === received.length && timingSafeEqual(expected, received);
}
