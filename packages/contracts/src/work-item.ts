import { z } from "zod";
import { PlatformSchema } from "./platform.js";

export const StatusCategory = {
  Backlog: "backlog",
  Todo: "todo",
  InProgress: "in_progress",
  InReview: "in_review",
  Done: "done",
  Cancelled: "cancelled",
} as const;
export type StatusCategory = (typeof StatusCategory)[keyof typeof StatusCategory];
export const StatusCategorySchema = z.enum(Object.values(StatusCategory) as [StatusCategory, ...StatusCategory[]]);

export const ItemPriority = { Urgent: "urgent", High: "high", Medium: "medium", Low: "low", None: "none" } as const;
export type ItemPriority = (typeof ItemPriority)[keyof typeof ItemPriority];

export const ItemKind = { Task: "task", Subtask: "subtask", Issue: "issue", PullRequest: "pull_request" } as const;
export type ItemKind = (typeof ItemKind)[keyof typeof ItemKind];

const instant = z.iso.datetime({ offset: true });

export const ItemRefSchema = z.object({ platform: PlatformSchema, id: z.string().min(1) });
export type ItemRef = z.infer<typeof ItemRefSchema>;

export const StatusTransitionSchema = z.object({
  at: instant,
  from: z.string().nullable(), // raw status names, as the platform spells them
  to: z.string(),
  fromCategory: StatusCategorySchema.nullable(),
  toCategory: StatusCategorySchema,
  by: z.string().nullable(),
});
export type StatusTransition = z.infer<typeof StatusTransitionSchema>;

/** One normalised work item for all three platforms (DESIGN §4). */
export const WorkItemSchema = z.object({
  ref: ItemRefSchema,
  key: z.string(), // "#12", "CU-9hx", "WEB-12"
  url: z.string(),
  title: z.string(),
  kind: z.enum(Object.values(ItemKind) as [ItemKind, ...ItemKind[]]),
  status: z.string(),
  statusCategory: StatusCategorySchema,
  priority: z.enum(Object.values(ItemPriority) as [ItemPriority, ...ItemPriority[]]),
  assignees: z.array(z.string()),
  labels: z.array(z.string()),
  container: z.object({ id: z.string(), name: z.string(), kind: z.enum(["list", "folder", "space", "repo", "project"]) }),
  iteration: z.object({ id: z.string(), name: z.string(), startAt: instant.nullable(), endAt: instant.nullable() }).nullable(),
  createdAt: instant,
  updatedAt: instant,
  startedAt: instant.nullable(),
  closedAt: instant.nullable(),
  dueAt: instant.nullable(),
  estimate: z.object({ points: z.number().nullable(), ms: z.number().nullable() }).nullable(),
  timeSpentMs: z.number().min(0).nullable(),
  parent: ItemRefSchema.nullable(),
  blockedBy: z.array(ItemRefSchema),
  history: z.array(StatusTransitionSchema),
});
export type WorkItem = z.infer<typeof WorkItemSchema>;

export const PlatformEventType = {
  ItemCreated: "item.created",
  ItemUpdated: "item.updated",
  ItemDeleted: "item.deleted",
  StatusChanged: "status.changed",
  CommentAdded: "comment.added",
  TimeTracked: "time.tracked",
  ContainerChanged: "container.changed",
} as const;
export type PlatformEventType = (typeof PlatformEventType)[keyof typeof PlatformEventType];

/** A normalised platform event; `id` (the platform's delivery/change id) is its `Nats-Msg-Id`. */
export const PlatformEventSchema = z.object({
  id: z.string().min(1),
  platform: PlatformSchema,
  type: z.enum(Object.values(PlatformEventType) as [PlatformEventType, ...PlatformEventType[]]),
  itemRef: ItemRefSchema.nullable(),
  at: instant,
  actor: z.string().nullable(),
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
});
export type PlatformEvent = z.infer<typeof PlatformEventSchema>;

/**
 * `data/<platform>-collected.json`, as written by a platform agent: the normalised items, each with the
 * platform's raw object beside it under `raw` (WorkItemSchema strips it when a consumer parses an item).
 */
export const CollectedDataSchema = z.object({
  platform: PlatformSchema,
  collectedAt: instant,
  /** full: everything was fetched; incremental: only changes, merged into the previous snapshot. */
  mode: z.enum(["full", "incremental"]),
  containers: z.array(z.string()),
  items: z.array(WorkItemSchema.extend({ raw: z.unknown() })),
  /** Items that existed in the previous snapshot and are gone now (found by a full id sweep). */
  deleted: z.array(ItemRefSchema),
  /** Records that could not be normalised: reported, not fatal. */
  errors: z.array(z.object({ id: z.string().nullable(), message: z.string() })),
  stats: z.record(z.string(), z.number()),
});
export type CollectedData = z.infer<typeof CollectedDataSchema>;
