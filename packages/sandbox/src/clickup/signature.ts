/**
 * ClickUp webhook signatures (CU-docs /docs/webhooksignature): header `X-Signature` = lowercase
 * hex HMAC-SHA256 of the raw request body, keyed with the webhook's `secret`; no prefix.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const CLICKUP_SIGNATURE_HEADER = "X-Signature";

export function signClickUpWebhook(secret: string, rawBody: Buffer | string): string {
  return createHmac("sha256", secret).update(rawBody).digest("hex");
}

/** Constant-time check of a received `X-Signature` against the raw body. */
export function verifyClickUpWebhook(secret: string, rawBody: Buffer | string, signature: string): boolean {
  const expected = Buffer.from(signClickUpWebhook(secret, rawBody), "utf8");
  const given = Buffer.from(signature.trim().toLowerCase(), "utf8");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
