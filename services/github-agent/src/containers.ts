import { JobFailure } from "@pmo/runtime";

/** The repositories of the project's `github` block ("owner/repo"), or a non-retryable failure naming what is missing. */
export function reposOf(containers: { repos?: string[] } | null | undefined): string[] {
  const repos = containers?.repos ?? [];
  if (repos.length === 0) throw JobFailure.nonRetryable('github: the project has no "github.repos" in config/projects.json', "missing_parameters");
  return repos;
}
