/**
 * REST API versions: `X-GitHub-Api-Version` picks one (default 2022-11-28, echoed back in
 * `x-github-api-version-selected`); an unknown one is refused with 400 (github/docs,
 * "API versions" and "Troubleshooting the REST API"). The exact message is not documented; this
 * wording is the plausible one.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { SandboxResponse } from "../kit/types.js";
import { githubError } from "./errors.js";

export const DEFAULT_API_VERSION = "2022-11-28";
export const SUPPORTED_API_VERSIONS: readonly string[] = [DEFAULT_API_VERSION, "2026-03-10"];
const VERSIONS_DOC = "https://docs.github.com/rest/about-the-rest-api/api-versions";

export function selectedApiVersion(headers: IncomingHttpHeaders): string {
  const requested = headers["x-github-api-version"];
  return typeof requested === "string" && requested !== "" ? requested : DEFAULT_API_VERSION;
}

export function unsupportedApiVersion(headers: IncomingHttpHeaders): SandboxResponse | null {
  const version = selectedApiVersion(headers);
  return SUPPORTED_API_VERSIONS.includes(version) ? null : githubError(400, `API version ${version} is not supported.`, VERSIONS_DOC);
}
