/**
 * The json report: the data behind a report (what the markdown, html and pdf show), validated with
 * zod before it is written. The section schemas mirror @pmo/analytics' types; each is annotated with
 * the type it mirrors, so the compiler flags any drift between the two.
 */
import { z } from "zod";
import { ItemRefSchema, PlatformSchema, StatusCategorySchema, type ReportType } from "@pmo/contracts";
import type {
  AssigneeLoad,
  BlockedItem,
  BurndownPoint,
  DailySections,
  Distribution,
  DueItem,
  ItemBrief,
  PersonStandup,
  ProgressSections,
  SeriesPoint,
  SeriesSummary,
  SprintForecast,
  SprintSections,
  StatusTime,
  VelocitySections,
  WipMetrics,
} from "@pmo/analytics";
import { ChartModelSchema } from "../charts/model.js";

const instant = z.iso.datetime({ offset: true });
const num = z.number().finite();
const nullableNum = num.nullable();

const ItemBriefSchema: z.ZodType<ItemBrief> = z.object({
  ref: ItemRefSchema,
  key: z.string(),
  title: z.string(),
  url: z.string(),
  status: z.string(),
  statusCategory: StatusCategorySchema,
  assignees: z.array(z.string()),
  points: nullableNum,
  dueAt: instant.nullable(),
});

const DistributionSchema: z.ZodType<Distribution> = z.object({
  count: z.number().int().min(0),
  mean: nullableNum,
  median: nullableNum,
  p75: nullableNum,
  p90: nullableNum,
  min: nullableNum,
  max: nullableNum,
});

const PeriodSchema = z.object({ start: instant, end: instant });

const SeriesPointSchema: z.ZodType<SeriesPoint> = z.object({ key: z.string(), label: z.string(), start: instant, end: instant, items: z.number().int().min(0), points: num });

const SeriesSummarySchema: z.ZodType<SeriesSummary> = z.object({
  series: z.array(SeriesPointSchema),
  averageItems: nullableNum,
  averagePoints: nullableNum,
  slopePoints: nullableNum,
  trend: z.enum(["up", "down", "flat"]).nullable(),
});

const ForecastSchema: z.ZodType<SprintForecast> = z.object({
  sprintId: z.string(),
  sprintName: z.string(),
  committedPoints: num,
  donePoints: num,
  elapsedShare: z.number().min(0).max(1),
  projectedPoints: num,
  likelyToFinish: z.boolean(),
});

const BlockedItemSchema: z.ZodType<BlockedItem> = z.object({
  item: ItemBriefSchema,
  reasons: z.array(z.enum(["dependency", "status"])),
  blockers: z.array(z.object({ ref: ItemRefSchema, item: ItemBriefSchema.nullable() })),
  blockedForMs: nullableNum,
});

const DueItemSchema: z.ZodType<DueItem> = z.object({ item: ItemBriefSchema, overdueMs: num });

const StatusTimeSchema: z.ZodType<StatusTime> = z.object({ status: z.string(), category: StatusCategorySchema, items: z.number().int().min(0), totalMs: num, perItemMs: DistributionSchema });

const WipSchema: z.ZodType<WipMetrics> = z.object({ total: z.number().int(), inProgress: z.number().int(), inReview: z.number().int(), byAssignee: z.record(z.string(), z.number().int()) });

const AssigneeLoadSchema: z.ZodType<AssigneeLoad> = z.object({
  assignee: z.string(),
  open: z.number().int(),
  inProgress: z.number().int(),
  inReview: z.number().int(),
  openPoints: num,
  blocked: z.number().int(),
  overdue: z.number().int(),
  completedInPeriod: z.number().int(),
});

const PersonStandupSchema: z.ZodType<PersonStandup> = z.object({
  assignee: z.string(),
  doneYesterday: z.array(ItemBriefSchema),
  inProgress: z.array(ItemBriefSchema),
  blocked: z.array(ItemBriefSchema),
  dueTodayOrOverdue: z.array(ItemBriefSchema),
});

const DailySchema: z.ZodType<DailySections> = z.object({
  type: z.literal("daily"),
  yesterday: PeriodSchema,
  today: PeriodSchema,
  doneYesterday: z.array(ItemBriefSchema),
  inProgress: z.array(ItemBriefSchema),
  blocked: z.array(BlockedItemSchema),
  dueToday: z.array(DueItemSchema),
  overdue: z.array(DueItemSchema),
  perPerson: z.array(PersonStandupSchema),
});

const PlatformProgressSchema = z.object({ completed: z.number().int(), points: num, open: z.number().int() });

const ProgressSchema: z.ZodType<ProgressSections> = z.object({
  type: z.enum(["weekly", "monthly"]),
  completed: z.array(ItemBriefSchema),
  started: z.array(ItemBriefSchema),
  created: z.number().int().min(0),
  completedPoints: num,
  byPlatform: z.partialRecord(PlatformSchema, PlatformProgressSchema),
  statusBreakdown: z.record(StatusCategorySchema, z.number().int().min(0)),
  cycleTimeMs: DistributionSchema,
  leadTimeMs: DistributionSchema,
  cycleTimeSamplesMs: z.array(num),
  wip: WipSchema,
  bottlenecks: z.array(StatusTimeSchema),
  blocked: z.array(BlockedItemSchema),
  overdue: z.array(DueItemSchema),
  assignees: z.array(AssigneeLoadSchema),
  weeks: SeriesSummarySchema,
});

const BurndownPointSchema: z.ZodType<BurndownPoint> = z.object({
  at: instant,
  date: z.string(),
  remainingPoints: num,
  remainingItems: z.number().int(),
  completedPoints: num,
  scopePoints: num,
  idealPoints: num,
});

const SprintSchema: z.ZodType<SprintSections> = z.object({
  type: z.literal("sprint"),
  sprint: z.object({ id: z.string(), name: z.string(), startAt: instant, endAt: instant, status: z.enum(["past", "current", "future"]) }),
  scope: z.array(ItemBriefSchema),
  scopePoints: num,
  done: z.array(ItemBriefSchema),
  donePoints: num,
  carriedOver: z.array(ItemBriefSchema),
  carriedIn: z.array(ItemBriefSchema),
  burndown: z.array(BurndownPointSchema),
  velocity: SeriesSummarySchema,
  forecast: ForecastSchema.nullable(),
});

const VelocitySchema: z.ZodType<VelocitySections> = z.object({
  type: z.literal("velocity"),
  byWeek: SeriesSummarySchema,
  bySprint: SeriesSummarySchema,
  forecast: ForecastSchema.nullable(),
  byPlatform: z.partialRecord(PlatformSchema, z.object({ byWeek: SeriesSummarySchema, bySprint: SeriesSummarySchema })),
});

export const HeadlineNumberSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** The number itself (null when there is no data), in `unit`. */
  value: nullableNum,
  unit: z.string(),
  /** How the other formats print it. */
  display: z.string(),
});
export type HeadlineNumber = z.infer<typeof HeadlineNumberSchema>;

export const DataQualitySchema = z.object({
  /** Collected records that failed WorkItem validation, per platform (they are left out of every number). */
  invalidItems: z.partialRecord(PlatformSchema, z.number().int().min(0)),
  analysedItems: z.partialRecord(PlatformSchema, z.number().int().min(0)),
});
export type DataQuality = z.infer<typeof DataQualitySchema>;

export const REPORT_JSON_VERSION = 1;

export const ReportJsonSchema = z.object({
  kind: z.literal("pmo.report"),
  version: z.literal(REPORT_JSON_VERSION),
  reportType: z.enum(["daily", "weekly", "monthly", "sprint", "velocity"] satisfies ReportType[]),
  title: z.string(),
  workflowId: z.string(),
  project: z.string(),
  platforms: z.array(PlatformSchema),
  generatedAt: instant,
  /** The instant the numbers are "as of" (when the data was collected). */
  asOf: instant,
  period: PeriodSchema,
  calendar: z.object({ mode: z.enum(["elapsed", "business"]), timeZone: z.string() }).loose(),
  /** The versioned metric definitions the numbers were computed under. */
  definitions: z.object({ version: z.string() }).loose(),
  headline: z.array(HeadlineNumberSchema),
  sections: z.union([DailySchema, ProgressSchema, SprintSchema, VelocitySchema]),
  charts: z.array(ChartModelSchema),
  insights: z.array(z.object({ rank: z.number().int(), title: z.string(), recommendation: z.string(), severity: z.string(), platform: PlatformSchema.nullable() }).loose()),
  dataQuality: DataQualitySchema,
});
export type ReportJson = z.infer<typeof ReportJsonSchema>;
