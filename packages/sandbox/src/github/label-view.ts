/** Label names → GitHub `label` objects. */
import type { Links } from "./links.js";
import type { RepoRecord } from "./repo-index.js";
import { nodeId, stableInt } from "./ids.js";

export interface LabelFacts {
  name: string;
  color: string;
  description: string;
}

/** The labels every new GitHub repository starts with carry `default: true`. */
const GITHUB_DEFAULT_LABELS = new Set(["bug", "documentation", "duplicate", "enhancement", "good first issue", "help wanted", "invalid", "question", "wontfix"]);

/** GitHub creates a label on the fly when an issue write names an unknown one; it gets this colour. */
export const NEW_LABEL_COLOR = "ededed";

export function labelId(repo: RepoRecord, name: string): number {
  return stableInt(`label:${repo.fullName}:${name}`);
}

export function renderLabel(links: Links, repo: RepoRecord, label: LabelFacts) {
  const id = labelId(repo, label.name);
  return {
    id,
    node_id: nodeId("Label", id),
    url: `${links.api}/repos/${repo.fullName}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: GITHUB_DEFAULT_LABELS.has(label.name),
    description: label.description || null,
  };
}
