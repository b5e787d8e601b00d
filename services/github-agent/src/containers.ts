import { JobFailure, type ProjectsFile } from "@pmo/runtime";

/** The repositories of the project's `github` block ("owner/repo"), or a non-retryable failure naming what is missing. */
export function reposOf(containers: { repos?: string[] } | null | undefined): string[] {
  const repos = containers?.repos ?? [];
  if (repos.length === 0) throw JobFailure.nonRetryable('github: the project has no "github.repos" in config/projects.json', "missing_parameters");
  return repos;
}

/** Every repo of every configured project, once (for work outside a job: webhooks, polling). */
export function configuredRepos(env: { projects: ProjectsFile }): string[] {
  return [...new Set(Object.values(env.projects.projects).flatMap((p) => p.github?.repos ?? []))];
}
