import { PlatformHttpError, toJobFailure } from "@pmo/platform-agent";
import { JobFailure } from "@pmo/runtime";

/**
 * Plane refuses an invalid key with 403 `{"detail":"Given API token is not valid"}` (DRF coerces the
 * authentication failure to 403) and a missing one with 401; both mean the credential, not a
 * permission on some project.
 */
export function isCredentialRefusal(err: unknown): boolean {
  if (!(err instanceof PlatformHttpError)) return false;
  return err.status === 401 || (err.status === 403 && /token is not valid|credentials were not provided/i.test(err.body));
}

/** The job failure for anything that went wrong talking to Plane, naming PLANE_API_KEY or the project as fits. */
export function planeFailure(err: unknown, what: { credentialEnv: string; container?: string }): JobFailure {
  if (isCredentialRefusal(err)) {
    const status = (err as PlatformHttpError).status;
    return JobFailure.nonRetryable(`plane: the API key was refused (${status}): check ${what.credentialEnv}`, "bad_credentials", { status });
  }
  return toJobFailure(err, what);
}
