import { PlatformHttpError, toJobFailure } from "@pmo/platform-agent";
import { JobFailure } from "@pmo/runtime";

/** ClickUp's "the token itself is bad" codes (platform-apis.md §1.1, CU-docs /docs/common_errors). */
const BAD_TOKEN = /OAUTH_0(17|19|21|25|77)\b/;
/** "This token may not see that workspace": a permission problem, not a bad token. */
const NOT_AUTHORIZED = /OAUTH_0(23|26|27|29|3\d|4[0-5])\b/;

/**
 * What went wrong, in words a user acts on: a bad token (names the env var), a workspace or list
 * the token may not see (names it), a list that does not exist (names it), or a retryable fault.
 * ClickUp answers 401 for both a bad token and a forbidden workspace; the ECODE tells them apart.
 */
export function clickUpFailure(err: unknown, what: { credentialEnv: string; container?: string }): JobFailure {
  if (err instanceof PlatformHttpError && err.status === 401) {
    if (NOT_AUTHORIZED.test(err.body)) {
      return JobFailure.nonRetryable(`clickup: no permission: the token in ${what.credentialEnv} is not authorized for ${what.container ?? err.endpoint} (${err.body})`, "forbidden", { status: 401 });
    }
    if (BAD_TOKEN.test(err.body) || !what.container) {
      return JobFailure.nonRetryable(`clickup: the credential was refused (${err.body}): check ${what.credentialEnv}`, "bad_credentials", { status: 401 });
    }
  }
  if (err instanceof PlatformHttpError && err.status === 404 && what.container) {
    return JobFailure.nonRetryable(`clickup: ${what.container} was not found (404 ${err.body}): check config/projects.json`, "container_not_found", { status: 404 });
  }
  return toJobFailure(err, what);
}
