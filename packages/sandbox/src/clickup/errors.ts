/**
 * ClickUp's error bodies: `{"err": "<message>", "ECODE": "<CODE>"}` (platform-apis.md §1.7).
 * Sourced pairs: OAUTH_017 (missing header), OAUTH_025 "Token invalid", OAUTH_027 "Team not
 * authorized" (401, recorded), TASK_001 "Task not found" (404, recorded), APP_002 "Rate limit
 * reached" (429, third-party), TIS_027 (time in status off, third-party). The other codes below
 * are NOT documented anywhere we could read; they are plausible stand-ins in ClickUp's naming
 * style, and clients must only branch on status.
 */
import type { SandboxResponse } from "../kit/types.js";

export interface ClickUpErrorSpec {
  status: number;
  err: string;
  ECODE: string;
}

export const ClickUpErrors = {
  missingToken: { status: 401, err: "Authorization header required", ECODE: "OAUTH_017" },
  invalidToken: { status: 401, err: "Token invalid", ECODE: "OAUTH_025" },
  teamNotAuthorized: { status: 401, err: "Team not authorized", ECODE: "OAUTH_027" },
  taskNotFound: { status: 404, err: "Task not found", ECODE: "TASK_001" },
  // ITEM_015 for hierarchy objects is what third-party ClickUp clients expect; not in official docs.
  listNotFound: { status: 404, err: "List not found", ECODE: "ITEM_015" },
  folderNotFound: { status: 404, err: "Folder not found", ECODE: "ITEM_015" },
  spaceNotFound: { status: 404, err: "Space not found", ECODE: "ITEM_015" },
  fieldNotFound: { status: 404, err: "Custom field not found", ECODE: "FIELD_001" },
  webhookNotFound: { status: 404, err: "Webhook not found", ECODE: "WEBHOOK_001" },
  badJson: { status: 400, err: "Unexpected token in JSON body", ECODE: "JSON_001" },
  rateLimited: { status: 429, err: "Rate limit reached", ECODE: "APP_002" },
  // The "Total time in Status" ClickApp is off (or not on the plan). Not in official docs; code and
  // message as several integrations recorded them from real workspaces (e.g. "403 TIS_027 Time In
  // Status is not available on your plan"); one report saw 400, most 403.
  timeInStatusDisabled: { status: 403, err: "Time In Status is not available on your plan", ECODE: "TIS_027" },
  serverError: { status: 500, err: "Internal Server Error", ECODE: "APP_001" },
} as const satisfies Record<string, ClickUpErrorSpec>;

/** A 400 for a request whose fields ClickUp would reject (codes are plausible, see above). */
export function invalidInput(err: string, ECODE = "INPUT_001"): ClickUpErrorSpec {
  return { status: 400, err, ECODE };
}

export function clickUpError(spec: ClickUpErrorSpec): SandboxResponse {
  return { status: spec.status, body: { err: spec.err, ECODE: spec.ECODE } };
}

/** Thrown by route handlers; the route wrapper in index.ts turns it into the error body. */
export class ClickUpApiError extends Error {
  override readonly name = "ClickUpApiError";
  constructor(readonly spec: ClickUpErrorSpec) {
    super(`${spec.status} ${spec.ECODE}: ${spec.err}`);
  }
  toResponse(): SandboxResponse {
    return clickUpError(this.spec);
  }
}

/**
 * Real ClickUp answers an unknown route with a framework 404 HTML page, not JSON
 * (clickup.com/api/developer-portal/general-errorhandling: "404 with HTML body").
 */
export function routeNotFound(method: string, fullPath: string): SandboxResponse {
  const safe = fullPath.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${safe}</pre>\n</body>\n</html>\n`;
  return { status: 404, headers: { "Content-Type": "text/html; charset=utf-8" }, body: html };
}
