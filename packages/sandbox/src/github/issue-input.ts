/**
 * Request bodies of POST/PATCH issue and POST comment, checked the way GitHub checks them: a
 * non-object body is 400, a missing title or an unknown assignee / milestone / enum value is 422
 * with `errors[{resource, code, field}]`.
 */
import type { Person, Sprint } from "../truth/model.js";
import { GitHubHttpError, type ValidationProblem, bodyNotAnObject, validationFailed } from "./errors.js";
import { type IssueState, STATE_REASONS, type StateReason } from "./issue-state.js";
import type { GitHubIndex } from "./repo-index.js";

export interface IssueFields {
  title?: string;
  body?: string;
  labels?: string[];
  assignees?: string[]; // Person.key
  sprint?: string | null; // from `milestone`
  state?: IssueState;
  stateReason?: StateReason | null;
}

type JsonObject = Record<string, unknown>;

export function requireObject(value: unknown, doc: string): JsonObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new GitHubHttpError(bodyNotAnObject(doc));
  return value as JsonObject;
}

function fail(problems: ValidationProblem[], doc: string): never {
  throw new GitHubHttpError(validationFailed(problems, doc));
}

/** Labels may be given as names or as `{name}` objects. */
function labelNames(value: unknown, problems: ValidationProblem[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    problems.push({ resource: "Issue", code: "invalid", field: "labels" });
    return undefined;
  }
  const names = value.map((l) => (typeof l === "string" ? l : typeof l === "object" && l !== null && typeof (l as JsonObject).name === "string" ? ((l as JsonObject).name as string) : null));
  if (names.some((n) => n === null)) problems.push({ resource: "Issue", code: "invalid", field: "labels" });
  return [...new Set(names.filter((n): n is string => n !== null))];
}

function assigneeKeys(value: unknown, index: GitHubIndex, problems: ValidationProblem[]): string[] | undefined {
  if (value === undefined) return undefined;
  const logins = Array.isArray(value) ? value : null;
  if (!logins || logins.some((l) => typeof l !== "string")) {
    problems.push({ resource: "Issue", code: "invalid", field: "assignees" });
    return undefined;
  }
  const people: Person[] = [];
  for (const login of logins as string[]) {
    const person = index.personByLogin(login);
    if (person) people.push(person);
    else problems.push({ resource: "Issue", code: "invalid", field: "assignees", value: login });
  }
  return [...new Set(people.map((p) => p.key))];
}

function milestoneSprint(value: unknown, index: GitHubIndex, problems: ValidationProblem[]): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const sprint: Sprint | undefined = typeof value === "number" || typeof value === "string" ? index.sprintByMilestone(Number(value)) : undefined;
  if (!sprint) problems.push({ resource: "Issue", code: "invalid", field: "milestone", value });
  return sprint?.key;
}

function text(value: unknown, field: string, problems: ValidationProblem[]): string | undefined {
  if (value === undefined || value === null) return value === null ? "" : undefined;
  if (typeof value === "string" || typeof value === "number") return String(value);
  problems.push({ resource: "Issue", code: "invalid", field });
  return undefined;
}

function commonFields(body: JsonObject, index: GitHubIndex, problems: ValidationProblem[]): IssueFields {
  const fields: IssueFields = {};
  const description = text(body.body, "body", problems);
  if (description !== undefined) fields.body = description;
  const labels = labelNames(body.labels, problems);
  if (labels) fields.labels = labels;
  // `assignee` (single login) is the deprecated spelling; `assignees` wins when both are sent.
  const single = body.assignee === undefined ? undefined : body.assignee === null ? [] : [body.assignee];
  const assignees = assigneeKeys(body.assignees ?? single, index, problems);
  if (assignees) fields.assignees = assignees;
  const sprint = milestoneSprint(body.milestone, index, problems);
  if (sprint !== undefined) fields.sprint = sprint;
  return fields;
}

export function parseCreateIssue(raw: unknown, index: GitHubIndex, doc: string): IssueFields & { title: string } {
  const body = requireObject(raw, doc);
  const problems: ValidationProblem[] = [];
  const title = text(body.title, "title", problems);
  if (title === undefined || title === "") problems.push({ resource: "Issue", code: "missing_field", field: "title" });
  const fields = commonFields(body, index, problems);
  if (problems.length > 0) fail(problems, doc);
  return { ...fields, title: title! };
}

export function parseUpdateIssue(raw: unknown, index: GitHubIndex, doc: string): IssueFields {
  const body = requireObject(raw, doc);
  const problems: ValidationProblem[] = [];
  const fields = commonFields(body, index, problems);
  const title = text(body.title, "title", problems);
  if (title === "") problems.push({ resource: "Issue", code: "missing_field", field: "title" });
  else if (title !== undefined) fields.title = title;
  if (body.state !== undefined) {
    if (body.state === "open" || body.state === "closed") fields.state = body.state;
    else problems.push({ resource: "Issue", code: "invalid", field: "state", value: body.state });
  }
  if (body.state_reason !== undefined) {
    if (body.state_reason === null || STATE_REASONS.includes(body.state_reason as StateReason)) fields.stateReason = body.state_reason as StateReason | null;
    else problems.push({ resource: "Issue", code: "invalid", field: "state_reason", value: body.state_reason });
  }
  if (problems.length > 0) fail(problems, doc);
  return fields;
}

export function parseCommentBody(raw: unknown, doc: string): string {
  const body = requireObject(raw, doc);
  if (typeof body.body !== "string" || body.body === "") fail([{ resource: "IssueComment", code: "missing_field", field: "body" }], doc);
  return body.body;
}
