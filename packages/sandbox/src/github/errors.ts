/**
 * GitHub's error bodies: `{"message","documentation_url","status"}` (basic-error) and the 422
 * `{"message":"Validation Failed","errors":[{resource,code,field}],…}`. `status` is a string on the
 * wire, as GitHub writes it.
 */
import type { SandboxResponse } from "../kit/types.js";

export const REST_DOCS = "https://docs.github.com/rest";

export const DOCS = {
  getRepo: "https://docs.github.com/rest/repos/repos#get-a-repository",
  listIssues: "https://docs.github.com/rest/issues/issues#list-repository-issues",
  getIssue: "https://docs.github.com/rest/issues/issues#get-an-issue",
  createIssue: "https://docs.github.com/rest/issues/issues#create-an-issue",
  updateIssue: "https://docs.github.com/rest/issues/issues#update-an-issue",
  createComment: "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
  getPull: "https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
  createHook: "https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook",
  getHook: "https://docs.github.com/rest/repos/webhooks#get-a-repository-webhook",
  updateHook: "https://docs.github.com/rest/repos/webhooks#update-a-repository-webhook",
  deleteHook: "https://docs.github.com/rest/repos/webhooks#delete-a-repository-webhook",
  listBlockedBy: "https://docs.github.com/rest/issues/issue-dependencies#list-dependencies-an-issue-is-blocked-by",
  listBlocking: "https://docs.github.com/rest/issues/issue-dependencies#list-dependencies-an-issue-is-blocking",
  getUser: "https://docs.github.com/rest/users/users#get-the-authenticated-user",
  rateLimits: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
  secondaryLimits: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
} as const;

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

export function githubError(status: number, message: string, documentationUrl: string = REST_DOCS, headers: Record<string, string> = {}): SandboxResponse {
  return {
    status,
    headers: { "content-type": JSON_CONTENT_TYPE, ...headers },
    body: { message, documentation_url: documentationUrl, status: String(status) },
  };
}

export const badCredentials = () => githubError(401, "Bad credentials");
export const requiresAuthentication = (doc: string = REST_DOCS) => githubError(401, "Requires authentication", doc);
export const notFound = (doc: string = REST_DOCS) => githubError(404, "Not Found", doc);
export const issueDeleted = (doc: string = REST_DOCS) => githubError(410, "This issue was deleted", doc);
export const problemsParsingJson = (doc: string = REST_DOCS) => githubError(400, "Problems parsing JSON", doc);
export const bodyNotAnObject = (doc: string = REST_DOCS) => githubError(400, "Body should be a JSON object", doc);
export const serverError = (status = 500) => githubError(status, "Server Error");

export type ValidationCode = "missing" | "missing_field" | "invalid" | "already_exists" | "unprocessable" | "custom";

export interface ValidationProblem {
  resource: string;
  code: ValidationCode;
  field?: string;
  value?: unknown;
  message?: string;
}

export function validationFailed(problems: ValidationProblem[], doc: string): SandboxResponse {
  return {
    status: 422,
    headers: { "content-type": JSON_CONTENT_TYPE },
    body: { message: "Validation Failed", errors: problems, documentation_url: doc, status: "422" },
  };
}

/** Thrown by handlers to answer with a GitHub error from deep inside body parsing. */
export class GitHubHttpError extends Error {
  override readonly name = "GitHubHttpError";
  constructor(readonly response: SandboxResponse) {
    super(`GitHub error ${response.status}`);
  }
}
