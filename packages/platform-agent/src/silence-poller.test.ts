import { describe, expect, it } from "vitest";
import { jetstreamManager } from "@nats-io/jetstream";
import pino from "pino";
import { Stream, type PlatformEvent } from "@pmo/contracts";
import { natsWithTopology } from "../../../test/harness/nats-fixture.js";
import { CursorStore } from "./cursors.js";
import { SILENCE_POLLER_KEY, WebhookSilencePoller, type PolledChanges } from "./silence-poller.js";
import { WebhookActivity } from "./webhook-activity.js";

const change = (n: number, at: string): PlatformEvent => ({ id: `github:poll:acme/web#${n}:${at}`, platform: "github", type: "item.updated", itemRef: { platform: "github", id: `acme/web#${n}` }, at, actor: null, changes: [] });

describe("WebhookSilencePoller", () => {
  const nats = natsWithTopology();

  const stored = async () => (await (await jetstreamManager(nats.nc)).streams.info(Stream.Events)).state.messages;

  it("polls only after the silence, treats the first poll as a baseline, and stores each change once", async () => {
    const cursors = new CursorStore<Record<string, unknown>>(nats.topo.kv.Cursors, "github");
    const activity = new WebhookActivity(cursors);
    let answer: PolledChanges = { events: [change(1, "2026-01-01T10:00:00.000Z")], watermark: "2026-01-01T10:00:00.000Z" };
    const calls: (string | null)[] = [];
    const poller = new WebhookSilencePoller({
      platform: "github",
      nc: nats.nc,
      settings: { enabled: true, intervalMs: 60_000, silenceMs: 1 },
      activity,
      cursors,
      pollChanges: async (since) => (calls.push(since), answer),
      log: pino({ level: "silent" }),
    });
    // A delivery a moment ago (on another replica, say): webhooks are alive, nothing is polled.
    activity.recordAccepted(Date.now() + 60_000);
    await poller.tick();
    expect(calls).toEqual([]);

    const quiet = new WebhookSilencePoller({ platform: "github", nc: nats.nc, settings: { enabled: true, intervalMs: 60_000, silenceMs: 1 }, activity: new WebhookActivity(new CursorStore(nats.topo.kv.Cursors, "github-quiet")), cursors, pollChanges: async (since) => (calls.push(since), answer), log: pino({ level: "silent" }) });
    await new Promise((r) => setTimeout(r, 5));
    const before = await stored();
    await quiet.tick(); // baseline: learns the watermark, publishes nothing
    expect(calls).toEqual([null]);
    expect(await stored()).toBe(before);

    answer = { events: [change(1, "2026-01-01T10:00:00.000Z"), change(2, "2026-01-01T10:05:00.000Z")], watermark: "2026-01-01T10:05:00.000Z" };
    await quiet.tick();
    expect(calls.at(-1)).toBe("2026-01-01T10:00:00.000Z");
    expect(await stored()).toBe(before + 1); // #1 was the baseline; #2 is new

    await quiet.tick(); // `since` is inclusive: #2 comes back and is not published again
    expect(await stored()).toBe(before + 1);
    await cursors.set(SILENCE_POLLER_KEY, { watermark: "2026-01-01T10:00:00.000Z", boundaryIds: [change(1, "2026-01-01T10:00:00.000Z").id], polls: 9 }); // rewound to the baseline
    await quiet.tick();
    expect(await stored()).toBe(before + 1); // Nats-Msg-Id: the stream stores the same change once
    await poller.stop();
    await quiet.stop();
  });
});
