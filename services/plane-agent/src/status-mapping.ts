import type { StatusCategory } from "@pmo/contracts";
import type { PlaneSettings } from "./settings.js";

/** Plane's state groups (reference §3.4) and the category each stands for. */
const GROUP_CATEGORY: Record<string, StatusCategory> = {
  backlog: "backlog",
  triage: "backlog", // intake: not yet accepted into the work
  unstarted: "todo",
  started: "in_progress",
  completed: "done",
  cancelled: "cancelled",
};

/**
 * Decides a state's category from Plane's own metadata: the state's `group`, refined for `started`
 * states whose name matches the review pattern (Plane has no review group), and overridden by name
 * from `statusCategories` in plane-config.json for custom workflows.
 */
export class StatusMapper {
  private readonly overrides: Map<string, StatusCategory>;
  private readonly review: RegExp;

  constructor(settings: Pick<PlaneSettings, "statusCategories" | "reviewStatePattern">) {
    this.overrides = new Map(Object.entries(settings.statusCategories).map(([name, c]) => [name.trim().toLowerCase(), c]));
    this.review = new RegExp(settings.reviewStatePattern, "i");
  }

  categoryOf(state: { name: string; group: string }): StatusCategory {
    const override = this.overrides.get(state.name.trim().toLowerCase());
    if (override) return override;
    if (state.group === "started" && this.review.test(state.name)) return "in_review";
    return GROUP_CATEGORY[state.group] ?? "todo";
  }
}
