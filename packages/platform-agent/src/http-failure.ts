import { JobFailure } from "@pmo/runtime";

/** An HTTP answer from a platform that was not a success, with what retry logic needs to know. */
export class PlatformHttpError extends Error {
  override name = "PlatformHttpError";
  constructor(
    readonly platform: string,
    readonly status: number,
    readonly endpoint: string,
    readonly body: string,
    /** From Retry-After or the platform's reset header, when it said. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(`${platform} ${endpoint} answered ${status}: ${body.slice(0, 300)}`);
  }

  /**
   * The seed's rule: 429 and 5xx are recoverable; any other 4xx is not, except a 403 that is a rate
   * limit in disguise (GitHub answers an exhausted or secondary limit with 403 + Retry-After or a
   * "rate limit" message).
   */
  get recoverable(): boolean {
    if (this.status === 429 || this.status >= 500) return true;
    return this.status === 403 && (this.retryAfterMs !== null || /rate limit/i.test(this.body));
  }
}

/** The body was not what the API promised (truncated or malformed JSON): recoverable, the next try may be fine. */
export class MalformedResponseError extends Error {
  override name = "MalformedResponseError";
  constructor(readonly platform: string, readonly endpoint: string, cause: unknown) {
    super(`${platform} ${endpoint} sent a malformed body: ${(cause as Error).message}`, { cause });
  }
}

const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CLOSED", "ENOTFOUND", "EAI_AGAIN"]);

/** Timeouts, resets, 429, 5xx and malformed bodies are worth another try; everything else is not. */
export function isRecoverable(err: unknown): boolean {
  if (err instanceof PlatformHttpError) return err.recoverable;
  if (err instanceof MalformedResponseError) return true;
  const e = err as { code?: string; name?: string; cause?: { code?: string } };
  if (e?.name === "AbortError" || e?.name === "TimeoutError") return true;
  return NETWORK_CODES.has(e?.code ?? "") || NETWORK_CODES.has(e?.cause?.code ?? "");
}

/**
 * Turns what went wrong talking to a platform into the job failure the orchestrator acts on:
 * bad credentials and missing containers fail fast with a message naming them; the rest retries.
 */
export function toJobFailure(err: unknown, what: { credentialEnv?: string; container?: string } = {}): JobFailure {
  if (err instanceof JobFailure) return err;
  if (err instanceof PlatformHttpError) {
    if (err.status === 401) return JobFailure.nonRetryable(`${err.platform}: the credential was refused (401)${what.credentialEnv ? `: check ${what.credentialEnv}` : ""}`, "bad_credentials", { status: 401 });
    if (err.status === 403 && !err.recoverable) return JobFailure.nonRetryable(`${err.platform}: no permission for ${err.endpoint} (403)${what.container ? ` on ${what.container}` : ""}`, "forbidden", { status: 403 });
    if (err.status === 404) return JobFailure.nonRetryable(`${err.platform}: ${what.container ?? err.endpoint} was not found (404): check config/projects.json`, "container_not_found", { status: 404 });
    if (!err.recoverable) return JobFailure.nonRetryable(err.message, `http_${err.status}`, { status: err.status });
    return JobFailure.retryable(err.message, err.status >= 500 ? "server_error" : "rate_limited", { status: err.status });
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return isRecoverable(e) ? JobFailure.retryable(e.message, "network") : new JobFailure(e.message, "unexpected", false);
}
