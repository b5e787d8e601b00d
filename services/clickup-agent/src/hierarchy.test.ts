import { describe, expect, it } from "vitest";
import { PlatformHttpError } from "@pmo/platform-agent";
import type { ClickUpClient } from "./client.js";
import { resolveWorkspace } from "./hierarchy.js";
import { ClickUpSettingsSchema } from "./settings.js";

/** A client answering `/team` and `/list/{id}` after a delay, counting the list reads in flight. */
function slowClient(lists: string[], missing: string | null = null) {
  let inFlight = 0;
  let most = 0;
  const client = {
    async get(endpoint: string, path: string) {
      if (endpoint === "/team") return { teams: [{ id: "t1", name: "Team", members: [] }] };
      const id = path.split("/").at(-1)!;
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 20 + (lists.length - lists.indexOf(id)) * 3));
      inFlight--;
      if (id === missing) throw new PlatformHttpError("clickup", 404, "GET /list/:list_id", "List not found (ITEM_013)", null);
      return { id, name: `List ${id}`, folder: null, space: { id: "s1" }, statuses: [] };
    },
  } as unknown as ClickUpClient;
  return { client, most: () => most };
}

describe("resolveWorkspace", () => {
  const lists = ["l1", "l2", "l3", "l4", "l5", "l6", "l7"];
  const settings = ClickUpSettingsSchema.parse({ concurrency: 3 });

  it("reads the configured lists side by side, as many at once as the concurrency setting, and keeps their configured order", async () => {
    const { client, most } = slowClient(lists);
    const ws = await resolveWorkspace(client, { teamId: "t1", spaceIds: [], listIds: lists }, settings, "CLICKUP_API_TOKEN");
    expect(ws.lists.map((l) => l.id)).toEqual(lists);
    // Later lists answer sooner (shorter delay): the order is still the configured one.
    expect(most()).toBe(3);
  });

  it("a list that cannot be read fails the whole with that list named", async () => {
    const { client } = slowClient(lists, "l5");
    await expect(resolveWorkspace(client, { teamId: "t1", spaceIds: [], listIds: lists }, settings, "CLICKUP_API_TOKEN")).rejects.toThrow(/list l5 was not found/);
  });
});
