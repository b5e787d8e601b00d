import type { ManageOperation, StatusCategory } from "@pmo/contracts";
import type { ProjectCatalog } from "./catalog.js";
import type { PlaneMember, PlaneState, PlaneWorkItem } from "./plane-types.js";
import type { PlaneSettings } from "./settings.js";
import type { StatusMapper } from "./status-mapping.js";

export type WritableCatalog = Pick<ProjectCatalog, "project" | "states" | "labels">;

/** An operation that cannot be carried out as asked (unknown state, label or person): that operation fails, the others go on. */
export class OperationRejected extends Error {
  override name = "OperationRejected";
}

/** Plane's writable work-item fields this agent sets (reference §3.3). */
export interface WorkItemWrite {
  name?: string;
  description_html?: string;
  priority?: string;
  state?: string;
  assignees?: string[];
  labels?: string[];
  target_date?: string | null;
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Plain text as the paragraph(s) Plane's editor stores. */
export const paragraphs = (text: string) => text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("");

/** A person by Plane id, display name, email or full name (case-insensitive). */
export function resolveMember(who: string, members: Map<string, PlaneMember>): PlaneMember {
  const needle = who.trim().toLowerCase();
  for (const m of members.values()) {
    const full = `${m.first_name ?? ""} ${m.last_name ?? ""}`.trim().toLowerCase();
    if (m.id === who || m.display_name.toLowerCase() === needle || m.email?.toLowerCase() === needle || (full !== "" && full === needle)) return m;
  }
  throw new OperationRejected(`no workspace member "${who}" (give a display name, email or member id)`);
}

/** A state by name, else by category ("done", "in_progress"), else by group ("completed"). */
export function resolveState(status: string, catalog: WritableCatalog, mapper: StatusMapper): PlaneState {
  const needle = status.trim().toLowerCase();
  const states = [...catalog.states.values()];
  const found =
    states.find((s) => s.name.toLowerCase() === needle) ??
    states.find((s) => mapper.categoryOf(s) === (needle.replace(/[\s-]+/g, "_") as StatusCategory)) ??
    states.find((s) => s.group === needle);
  if (!found) throw new OperationRejected(`project ${catalog.project.identifier} has no state "${status}" (states: ${states.map((s) => s.name).join(", ")})`);
  return found;
}

export function resolveLabels(names: string[], catalog: WritableCatalog): string[] {
  const byName = new Map([...catalog.labels.values()].map((l) => [l.name.toLowerCase(), l.id]));
  const unknown = names.filter((n) => !byName.has(n.trim().toLowerCase()));
  if (unknown.length > 0) throw new OperationRejected(`project ${catalog.project.identifier} has no label ${unknown.map((n) => `"${n}"`).join(", ")}`);
  return names.map((n) => byName.get(n.trim().toLowerCase())!);
}

/** The request body for an operation's fields; `close` means the project's first completed state. */
export function workItemWrite(op: ManageOperation, ctx: { catalog: WritableCatalog; members: Map<string, PlaneMember>; settings: PlaneSettings; mapper: StatusMapper }): WorkItemWrite {
  const body: WorkItemWrite = {};
  if (op.title !== undefined) body.name = op.title;
  if (op.description !== undefined && op.op !== "comment") body.description_html = paragraphs(op.description);
  if (op.priority !== undefined) body.priority = ctx.settings.priorityMap[op.priority];
  if (op.assignee !== undefined) body.assignees = [resolveMember(op.assignee, ctx.members).id];
  if (op.labels !== undefined) body.labels = resolveLabels(op.labels, ctx.catalog);
  if (op.dueDate !== undefined) body.target_date = new Date(op.dueDate.length === 10 ? `${op.dueDate}T00:00:00Z` : op.dueDate).toISOString().slice(0, 10);
  if (op.op === "close") body.state = resolveState("done", ctx.catalog, ctx.mapper).id;
  else if (op.status !== undefined) body.state = resolveState(op.status, ctx.catalog, ctx.mapper).id;
  return body;
}

/** The fields a write would change on `current`, with their values before and after (the plan, and the rollback data). */
export function fieldChanges(current: PlaneWorkItem & { description_html?: string }, write: WorkItemWrite): { field: string; from: unknown; to: unknown }[] {
  const same = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? [...a].sort().join() === [...b].sort().join() : a === b);
  return (Object.keys(write) as (keyof WorkItemWrite)[])
    .map((field) => ({ field, from: (current as unknown as Record<string, unknown>)[field] ?? null, to: write[field] }))
    .filter((c) => !same(c.from, c.to));
}
