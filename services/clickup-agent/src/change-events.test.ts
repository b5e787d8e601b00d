import { describe, expect, it } from "vitest";
import type { WorkItem } from "@pmo/contracts";
import { CLICKUP_CHANGE_RULES } from "./change-events.js";

const version = (updatedAt: string, status: string): WorkItem => ({ ref: { platform: "clickup", id: "86abc" }, updatedAt, status, title: "t" }) as WorkItem;
const { event, stamp } = CLICKUP_CHANGE_RULES;

describe("ClickUp's change rules", () => {
  it("equal stamps give no event: the stamp holds what `itemEvent` looks at before it compares fields", () => {
    const before = version("2026-01-01T00:00:00.000Z", "in progress");
    expect(stamp(version("2026-01-01T00:00:00.000Z", "in progress"))).toBe(stamp(before));
    expect(event(before, version("2026-01-01T00:00:00.000Z", "in progress"))).toBeNull();
  });

  it("a status that moved alone (same `date_updated`) moves the stamp, and is a status change", () => {
    const before = version("2026-01-01T00:00:00.000Z", "in progress");
    const renamed = version("2026-01-01T00:00:00.000Z", "doing");
    expect(stamp(renamed)).not.toBe(stamp(before));
    expect(event(before, renamed)).toMatchObject({ type: "status.changed", changes: [{ field: "status", from: "in progress", to: "doing" }] });
  });
});
