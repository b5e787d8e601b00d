import type { WorkItem } from "@pmo/contracts";
import { DEFAULT_THRESHOLDS, type Thresholds } from "../types/options.js";
import type { Pattern, Patterns } from "../types/insights.js";
import type { ProjectAnalytics } from "../types/metrics.js";
import { PLATFORM_RULES, PROJECT_RULES, type PatternRule, type RuleInput } from "./pattern-rules.js";

function run(rules: readonly PatternRule[], input: RuleInput): Pattern[] {
  return rules.map((rule) => rule(input)).filter((p): p is Pattern => p !== null);
}

/**
 * `analysis/patterns.json`: problems visible in the analytics, each with the items and numbers behind
 * it. `items` must be the items the analytics were computed from (evidence refs come from them).
 */
export function detectPatterns(analytics: ProjectAnalytics, items: readonly WorkItem[], thresholds: Partial<Thresholds> = {}): Patterns {
  const t = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const dayMs = analytics.calendar.dayMs;
  const patterns = run(PROJECT_RULES, { metrics: analytics.metrics, items, platform: null, thresholds: t, dayMs });
  if (analytics.platforms.length > 1) {
    for (const platform of analytics.platforms) {
      const view = analytics.byPlatform[platform];
      if (!view) continue;
      const own = items.filter((i) => i.ref.platform === platform);
      patterns.push(...run(PLATFORM_RULES, { metrics: view.metrics, items: own, platform, thresholds: t, dayMs }));
    }
  }
  const { definitions, generatedAt, period, calendar } = analytics;
  return { definitions, generatedAt, period, calendar, patterns };
}
