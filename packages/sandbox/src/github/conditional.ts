/**
 * Conditional requests: every 200 GET carries an `etag`; a request whose `If-None-Match` names it
 * gets 304 with no body, and (as on GitHub) spends no quota. The tag covers the viewer too, because
 * GitHub's ETags differ per token (github/docs#34689).
 */
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export function entityTag(serializedBody: string, viewer: string): string {
  return `W/"${createHash("sha256").update(viewer).update("\0").update(serializedBody).digest("hex")}"`;
}

/** Weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored; "*" matches anything. */
export function matchesIfNoneMatch(headers: IncomingHttpHeaders, etag: string): boolean {
  const header = headers["if-none-match"];
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = opaque(etag);
  return header.split(",").some((candidate) => candidate.trim() === "*" || opaque(candidate) === wanted);
}
