/** One class per failure mode; callers branch on the class or `code`, never on message text. */

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly file: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid configuration in ${file}:\n  - ${problems.join("\n  - ")}`, options);
  }
}

/**
 * What a job handler throws to report failure. Temporal's rule: retried unless `nonRetryable`.
 * Anything else a handler throws is treated as retryable with code `unexpected`.
 */
export class JobFailure extends Error {
  override name = "JobFailure";
  constructor(
    message: string,
    readonly code: string,
    readonly nonRetryable: boolean,
    readonly context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static nonRetryable(message: string, code: string, context?: Record<string, unknown>) {
    return new JobFailure(message, code, true, context);
  }

  static retryable(message: string, code: string, context?: Record<string, unknown>) {
    return new JobFailure(message, code, false, context);
  }
}

/** A compare-and-set on a KV entry lost too many races in a row. */
export class CasConflictError extends Error {
  override name = "CasConflictError";
  constructor(readonly key: string, readonly attempts: number) {
    super(`gave up updating ${key} after ${attempts} concurrent modifications`);
  }
}

/** The environment (process.env) failed validation. */
export class EnvError extends Error {
  override name = "EnvError";
  constructor(readonly problems: string[]) {
    super(`invalid environment:\n  - ${problems.join("\n  - ")}`);
  }
}
