export { githubAgent } from "./definition.js";
export { GitHubClient, nextLink } from "./github-client.js";
export { normaliseIssue, itemId, type RawGitHubItem } from "./normalise.js";
export { categorise, replayHistory } from "./status-rules.js";
export { githubWebhook, githubSignature } from "./webhook.js";
export { githubSettings, GitHubSettingsSchema, type GitHubSettings } from "./settings.js";
export { RepoCollector, type RepoCursor } from "./repo-collector.js";
