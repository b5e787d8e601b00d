/**
 * Plane's error answers. Two families exist (reference §3.7): DRF's own `{"detail": …}` (auth,
 * permissions, parse errors, pagination parameters) and the views' `{"error": …}`; the throttle
 * answer is rewritten by Plane's exception handler to `{"error_code": 5900, …}`.
 */
import type { SandboxResponse } from "../kit/types.js";

/** Thrown by handlers and turned into the response, the way DRF turns exceptions into answers. */
export class PlaneHttpError extends Error {
  override name = "PlaneHttpError";
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`Plane answered ${status}`);
  }

  toResponse(): SandboxResponse {
    return { status: this.status, headers: this.headers, body: this.body };
  }
}

const detail = (status: number, text: string): PlaneHttpError => new PlaneHttpError(status, { detail: text });
const error = (status: number, text: string): PlaneHttpError => new PlaneHttpError(status, { error: text });

export const PlaneErrors = {
  /** No X-API-Key: DRF's NotAuthenticated, forced from 403 to 401 by Plane's `auth_exception_handler`. */
  notAuthenticated: () => detail(401, "Authentication credentials were not provided."),
  /** Unknown, expired or inactive key: AuthenticationFailed, which DRF answers with 403 because
   * `APIKeyAuthentication` sends no WWW-Authenticate header. */
  invalidToken: () => detail(403, "Given API token is not valid"),
  /** Permission classes (unknown workspace slug / project, not a member) refuse before the view runs. */
  permissionDenied: () => detail(403, "You do not have permission to perform this action."),
  /** `Model.objects.get` misses inside a view → ObjectDoesNotExist → BaseAPIView.handle_exception. */
  resourceNotFound: () => error(404, "The requested resource does not exist."),
  /** An URL that no pattern matches: Plane's `handler404` (`custom_404_view`). */
  pageNotFound: () => error(404, "Page not found."),
  /** Anything that raises outside the mapped exception types (e.g. an unknown `order_by` field). */
  serverError: () => error(500, "Something went wrong please try again later"),
  badRequest: (text: string) => detail(400, text),
  /** DRF ParseError for a body that is not JSON (message text as Python's json module words it). */
  badJson: () => detail(400, "JSON parse error - Expecting value: line 1 column 1 (char 0)"),
  /** DRF serializer errors: a field map, or `non_field_errors` for object-level `ValidationError`s. */
  validation: (fields: Record<string, string[]>) => new PlaneHttpError(400, fields),
  nonField: (text: string) => new PlaneHttpError(400, { non_field_errors: [text] }),
  duplicateExternalId: (existingId: string) =>
    new PlaneHttpError(409, { error: "Issue with the same external id and external source already exists", id: existingId }),
  deleteForbidden: () => error(403, "Only admin or creator can delete the work item"),
  methodNotAllowed: (method: string) => detail(405, `Method "${method}" not allowed.`),
  /** Throttled, as rewritten by `auth_exception_handler`; DRF adds Retry-After from `exc.wait`. */
  rateLimited: (retryAfterSeconds: number) =>
    new PlaneHttpError(
      429,
      { error_code: 5900, error_message: "RATE_LIMIT_EXCEEDED" },
      { "Retry-After": String(retryAfterSeconds) },
    ),
} as const;
