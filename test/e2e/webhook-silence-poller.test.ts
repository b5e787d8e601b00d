/**
 * The kit's webhook-silence poller in github-agent, plane-agent and clickup-agent, each its own process: with no
 * webhook delivering, a change made on the platform still reaches PMO_EVENTS within a few polls,
 * and the same change polled again (even from an older watermark) is stored once.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import { Bucket, Stream, type Platform } from "@pmo/contracts";
import { kvKey } from "@pmo/runtime";
import { startSandbox, type SandboxHandle } from "@pmo/sandbox";
import { startProcess, type ServiceProcess } from "../harness/processes.js";
import { startWorld, type AgentWorld } from "../../services/github-agent/test/agent-kit.js";

// Short enough that a test sees several polls in a second or two.
const FAST_POLLER = { silencePoller: { intervalMs: 150, silenceMs: 100 } };

let sandbox: SandboxHandle;
let world: AgentWorld;
let plane: ServiceProcess;
let clickup: ServiceProcess;
let cursors: KV;

/** Starts `<platform>-agent` on the world's config with the fast poller and a quota that never waits. */
async function startPolling(platform: "plane" | "clickup"): Promise<ServiceProcess> {
  const path = join(world.configDir, `${platform}-config.json`);
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, "utf8")), ...FAST_POLLER, rateLimit: { requestsPerMinute: 100_000 } }));
  const proc = startProcess(`${platform}-agent`, `services/${platform}-agent/src/main.ts`, { ...world.env, LOG_LEVEL: "info" });
  await proc.waitForLog((e) => e.msg === `${platform}-agent started`, 30_000);
  return proc;
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 31, itemsPerPlatform: 30, rateLimits: { planePerMinute: 100_000, clickupPerMinute: 100_000 } });
  world = await startWorld(sandbox, FAST_POLLER);
  [plane, clickup] = await Promise.all([startPolling("plane"), startPolling("clickup")]);
  cursors = await new Kvm(world.nc).open(Bucket.Cursors);
}, 60_000);

afterAll(async () => {
  await plane?.terminate();
  await clickup?.terminate();
  await world?.stop();
  await sandbox?.close();
});

interface PollerCursor {
  watermark: string | null;
  boundaryIds: string[];
  polls: number;
}

async function pollerCursor(platform: Platform): Promise<PollerCursor | null> {
  const e = await cursors.get(kvKey(platform, "silence-poller"));
  return e && e.length > 0 ? (e.json() as PollerCursor) : null;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Messages stored on PMO_EVENTS under `pmo.event.<platform>.>`. */
async function storedEvents(platform: Platform): Promise<number> {
  const info = await (await jetstreamManager(world.nc)).streams.info(Stream.Events, { subjects_filter: `pmo.event.${platform}.>` });
  return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
}

describe.each(["github", "plane", "clickup"] as const)("%s-agent webhook-silence poller", (platform) => {
  it("publishes a change made while webhooks were silent, and stores it once however often it is polled", async () => {
    const first = await until("the first poll to learn the platform's clock", async () => {
      const c = await pollerCursor(platform);
      return c?.watermark ? c : null;
    });
    expect(await storedEvents(platform)).toBe(0);

    const target = sandbox.truth.items[platform].find((i) => i.deletedAt === null && (platform !== "github" || i.kind === "issue"))!;
    sandbox.control.mutate({ platform, id: target.id, container: target.container, status: target.status === "done" ? "in_progress" : "done" });
    await until("the change on PMO_EVENTS", async () => (await storedEvents(platform)) === 1);
    const after = (await pollerCursor(platform))!;
    // The watermark follows the change (never back); the sandbox stamps changes in whole seconds, so
    // a change in the same second as the newest earlier one leaves it equal.
    expect(Date.parse(after.watermark!)).toBeGreaterThanOrEqual(Date.parse(first.watermark!));

    // Later polls see it again (`since` is inclusive); rewinding the watermark re-polls it outright.
    await until("two more polls", async () => (await pollerCursor(platform))!.polls >= after.polls + 2);
    await cursors.put(kvKey(platform, "silence-poller"), JSON.stringify({ ...first, polls: 0 }));
    await until("two polls from the old watermark", async () => (await pollerCursor(platform))!.polls >= 2);
    expect(await storedEvents(platform)).toBe(1);
    const agent = { plane, clickup, github: world.agent.proc }[platform];
    expect(agent.output()).toContain(`"msg":"${platform} webhooks were silent: polled and published 1 missed change(s)"`);
  }, 40_000);
});
