/**
 * Who is calling: GitHub accepts `Authorization: token X` and `Authorization: Bearer X`. No header
 * makes an anonymous caller (own, smaller quota; private repos answer 404); any other token is
 * "Bad credentials".
 */
import type { IncomingHttpHeaders } from "node:http";

export type Caller = { kind: "token" } | { kind: "anonymous" } | { kind: "invalid" };

const AUTHORIZATION = /^(?:token|bearer)\s+(\S+)\s*$/i;

export function identifyCaller(headers: IncomingHttpHeaders, expectedToken: string): Caller {
  const header = headers.authorization;
  if (header === undefined || header === "") return { kind: "anonymous" };
  const token = AUTHORIZATION.exec(header)?.[1];
  return token === expectedToken ? { kind: "token" } : { kind: "invalid" };
}

/** Quota bucket of a caller: the token's user, or the anonymous (per-IP on GitHub) bucket. */
export function quotaIdentity(caller: Caller): "token" | "anonymous" {
  return caller.kind === "token" ? "token" : "anonymous";
}
