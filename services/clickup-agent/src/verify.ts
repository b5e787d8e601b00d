import type { JobHandler } from "@pmo/runtime";
import type { ClickUpContext } from "./context.js";
import { resolveWorkspace, type ClickUpContainers } from "./hierarchy.js";

/** `verify` (phase 0): the token, the workspace, the configured spaces and lists, each failure named. */
export function verifyHandler(cu: ClickUpContext): JobHandler {
  return async (ctx) => {
    const input = ctx.job.input as { containers: ClickUpContainers | null };
    const ws = await resolveWorkspace(cu.client, input.containers, cu.settings, cu.env.credentialEnv, ctx.signal);
    return {
      output: {
        credential: "valid",
        workspace: { id: ws.teamId, name: ws.teamName, members: ws.members.length },
        spaces: ws.spaceIds,
        lists: ws.lists.map((l) => ({ id: l.id, name: l.name, folder: l.folder?.name ?? null, sprint: l.sprint !== null })),
      },
    };
  };
}
