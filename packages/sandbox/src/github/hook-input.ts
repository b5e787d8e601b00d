/**
 * Request bodies of POST and PATCH /repos/{o}/{r}/hooks[/{hook_id}], checked as GitHub checks them
 * (GH-OAS 23.0.1 operations repos/create-webhook and repos/update-webhook): a non-object body is
 * 400; a config without `url`, or a field of the wrong type, is 422 with `errors[]`.
 */
import { GitHubHttpError, type ValidationProblem, validationFailed } from "./errors.js";
import { requireObject } from "./issue-input.js";

/** The hook's `config` as GitHub keeps it (`webhook-config`): `secret` "" means none. */
export interface HookConfig {
  url: string;
  contentType: string;
  secret: string;
  insecureSsl: string;
}

/** What a PATCH asks for; absent fields leave the hook as it is. */
export interface HookUpdate {
  config?: HookConfig;
  events?: string[];
  addEvents?: string[];
  removeEvents?: string[];
  active?: boolean;
}

/** GH-OAS `hook.events`: "Default: ['push']". */
const DEFAULT_EVENTS: readonly string[] = ["push"];
/** GH-OAS `webhook-config-content-type`: "The default is `form`." */
const DEFAULT_CONTENT_TYPE = "form";
/** GH-OAS `webhook-config-insecure-ssl`: "The default is `0`" (verify certificates). */
const DEFAULT_INSECURE_SSL = "0";

type JsonObject = Record<string, unknown>;

function fail(problems: ValidationProblem[], doc: string): never {
  throw new GitHubHttpError(validationFailed(problems, doc));
}

function stringList(value: unknown, field: string, problems: ValidationProblem[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((e) => typeof e === "string")) return [...new Set(value as string[])];
  problems.push({ resource: "Hook", code: "invalid", field });
  return undefined;
}

/**
 * A `config` replaces the stored one whole, which is why GitHub says "If you previously had a
 * `secret` set, you must provide the same `secret` or set a new `secret` or the secret will be
 * removed" (repos/update-webhook description); omitted keys take their documented defaults.
 */
function hookConfig(value: unknown, problems: ValidationProblem[]): HookConfig | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push({ resource: "Hook", code: "invalid", field: "config" });
    return undefined;
  }
  const config = value as JsonObject;
  // Same wording as create (the emulator's existing POST check); GitHub validates the stored hook either way.
  if (typeof config.url !== "string" || config.url === "") {
    problems.push({ resource: "Hook", code: "custom", message: "Config must contain URL for webhooks" });
    return undefined;
  }
  return {
    url: config.url,
    contentType: typeof config.content_type === "string" ? config.content_type : DEFAULT_CONTENT_TYPE,
    secret: typeof config.secret === "string" ? config.secret : "",
    // GH-OAS types insecure_ssl as `string | number`; GitHub echoes it as a string.
    insecureSsl: config.insecure_ssl === undefined || config.insecure_ssl === null ? DEFAULT_INSECURE_SSL : String(config.insecure_ssl),
  };
}

function activeFlag(value: unknown, problems: ValidationProblem[]): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  problems.push({ resource: "Hook", code: "invalid", field: "active" });
  return undefined;
}

export function parseCreateHook(raw: unknown, doc: string): { config: HookConfig; events: string[]; active: boolean } {
  const body = requireObject(raw, doc);
  const problems: ValidationProblem[] = [];
  const config = hookConfig(body.config ?? {}, problems);
  const events = stringList(body.events, "events", problems);
  const active = activeFlag(body.active, problems);
  if (problems.length > 0 || !config) fail(problems, doc);
  return { config, events: events ?? [...DEFAULT_EVENTS], active: active ?? true };
}

export function parseUpdateHook(raw: unknown, doc: string): HookUpdate {
  const body = requireObject(raw, doc);
  const problems: ValidationProblem[] = [];
  const update: HookUpdate = {
    config: body.config === undefined ? undefined : hookConfig(body.config, problems),
    events: stringList(body.events, "events", problems),
    addEvents: stringList(body.add_events, "add_events", problems),
    removeEvents: stringList(body.remove_events, "remove_events", problems),
    active: activeFlag(body.active, problems),
  };
  if (problems.length > 0) fail(problems, doc);
  return update;
}

/** `events` replaces the list, then `add_events` and `remove_events` adjust it (GH-OAS field descriptions). */
export function nextEvents(current: readonly string[], update: HookUpdate): string[] {
  const events = new Set(update.events ?? current);
  for (const e of update.addEvents ?? []) events.add(e);
  for (const e of update.removeEvents ?? []) events.delete(e);
  return [...events];
}
