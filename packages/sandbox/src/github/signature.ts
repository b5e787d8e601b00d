/**
 * Webhook signatures as GitHub computes them: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`
 * and the legacy `X-Hub-Signature: sha1=<hex HMAC-SHA1>`. Verification compares in constant time.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export function signGitHubWebhook(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function signGitHubWebhookSha1(secret: string, body: Buffer | string): string {
  return `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`;
}

export function verifyGitHubWebhook(secret: string, body: Buffer | string, signatureHeader: string): boolean {
  const expected = Buffer.from(signGitHubWebhook(secret, body));
  const given = Buffer.from(signatureHeader);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
