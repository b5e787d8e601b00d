import { PlatformHttpError } from "@pmo/platform-agent";
import { JobFailure, type JobHandler } from "@pmo/runtime";
import type { PlaneAgentContext } from "./agent-context.js";
import { projectPath } from "./catalog.js";
import { planeFailure } from "./failures.js";
import { parseInput, VerifyInputSchema } from "./job-inputs.js";
import type { PlaneMember, PlaneProject } from "./plane-types.js";

/** A refusal that says "this is not there / not yours" rather than "try again later". */
const refused = (err: unknown): err is PlatformHttpError => err instanceof PlatformHttpError && [400, 403, 404].includes(err.status);

/**
 * Phase 0 `verify`: the key (`users/me/`), the workspace (its members), then each configured
 * project. Plane answers 403 both for a project the key's owner is not a member of and for one that
 * does not exist, so the workspace's project list tells the two apart. Every problem is reported at
 * once, without retries.
 */
export function verifyHandler(agent: PlaneAgentContext): JobHandler {
  const { env, client, settings } = agent;
  return async (ctx) => {
    const input = parseInput(VerifyInputSchema, ctx.job.input, ctx.job.project);
    const slug = input.containers.workspace;
    const fail = (err: unknown, container?: string) => planeFailure(err, { credentialEnv: env.credentialEnv, container });

    const me = await client.get<PlaneMember>("users/me/", "GET users/me/", undefined, ctx.signal).catch((err: unknown) => {
      throw fail(err);
    });
    await client.get<unknown>(`workspaces/${slug}/members/`, "GET workspaces/:slug/members/", undefined, ctx.signal).catch((err: unknown) => {
      if (refused(err)) throw JobFailure.nonRetryable(`plane: workspace "${slug}" was not found or ${me.display_name} is not a member of it (${err.status}): check "plane.workspace" in config/projects.json`, "container_not_found", { status: err.status });
      throw fail(err, `workspace ${slug}`);
    });
    const listed = new Map<string, PlaneProject>();
    try {
      for await (const page of client.pages<PlaneProject>(`workspaces/${slug}/projects/`, "GET workspaces/:slug/projects/", {}, settings.pageSize, ctx.signal)) {
        for (const p of page.results) listed.set(p.id, p);
      }
    } catch (err) {
      throw fail(err, `workspace ${slug}`);
    }

    const problems: { message: string; code: "container_not_found" | "forbidden" }[] = [];
    const projects: { id: string; name: string; identifier: string }[] = [];
    for (const id of input.containers.projectIds) {
      try {
        const p = await client.get<PlaneProject>(`${projectPath(slug, id)}/`, "GET projects/:id/", undefined, ctx.signal);
        projects.push({ id: p.id, name: p.name, identifier: p.identifier });
      } catch (err) {
        if (!refused(err)) throw fail(err, `project ${id}`);
        if (listed.has(id)) problems.push({ code: "forbidden", message: `project ${id} (${listed.get(id)!.identifier}) exists in workspace "${slug}" but ${me.display_name} has no access to it (${err.status}): add the key's owner to the project` });
        else problems.push({ code: "container_not_found", message: `project ${id} was not found in workspace "${slug}" (${err.status}): check "plane.projectIds" in config/projects.json` });
      }
    }
    if (problems.length > 0) {
      const code = problems.some((p) => p.code === "container_not_found") ? "container_not_found" : "forbidden";
      throw JobFailure.nonRetryable(`plane: ${problems.map((p) => p.message).join("; ")}`, code, { problems: problems.map((p) => p.message) });
    }
    return { output: { credential: "valid", user: me.display_name, workspace: slug, projects } };
  };
}
