/** Failures the kit turns into the platform's own error answers. */

/** Thrown by `SandboxRequest.json()` on a malformed body; the server answers with the dialect's "bad_json" response. */
export class BadJsonError extends Error {
  override readonly name = "BadJsonError";
  constructor(cause: unknown) {
    super("request body is not valid JSON", { cause });
  }
}

/** The request body exceeded the server's limit; answered with 413. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  constructor(readonly limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
  }
}
