import { describe, expect, it } from "vitest";
import type { PlatformFile } from "@pmo/runtime";
import { clickUpSettings } from "./settings.js";

const file = (extra: Record<string, unknown> = {}) => ({ baseUrl: "https://api.clickup.com/api/v2", tokenEnv: "CLICKUP_API_TOKEN", timeoutMs: 30_000, ...extra }) as unknown as PlatformFile;

describe("clickUpSettings", () => {
  it("fills every ClickUp key with its default", () => {
    const s = clickUpSettings(file());
    expect(s.concurrency).toBe(4);
    expect(s.inFlightGraceMs).toBe(35_000);
  });

  it("refuses the old `poller` key by name instead of dropping it", () => {
    expect(() => clickUpSettings(file({ poller: { enabled: false } }))).toThrow(/poller.*silencePoller/);
  });

  it("names the field of a bad value", () => {
    expect(() => clickUpSettings(file({ concurrency: 0 }))).toThrow(/clickup-config\.json: concurrency/);
  });
});
