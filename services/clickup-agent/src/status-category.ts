import type { StatusCategory } from "@pmo/contracts";
import type { ClickUpSettings } from "./settings.js";

/** A ClickUp status object as tasks, lists and webhook history items carry it. */
export interface ClickUpStatus {
  status: string;
  type?: string | null;
  orderindex?: number | string | null;
}

/**
 * Decides a status's category from ClickUp's own metadata: the configured name rules first (a
 * custom status called "QA" or "won't do" says more than its type), then the status `type`
 * (open | custom | closed | done), else in_progress for an unknown custom type.
 */
export class StatusCategorizer {
  private readonly rules: { re: RegExp; category: StatusCategory }[];

  constructor(private readonly settings: Pick<ClickUpSettings, "statusRules" | "statusTypes">) {
    this.rules = settings.statusRules.map((r) => ({ re: new RegExp(r.match, "i"), category: r.category }));
  }

  categorize(status: ClickUpStatus): StatusCategory {
    const name = status.status.trim();
    for (const rule of this.rules) if (rule.re.test(name)) return rule.category;
    const byType = status.type ? this.settings.statusTypes[status.type.toLowerCase()] : undefined;
    return byType ?? "in_progress";
  }
}
