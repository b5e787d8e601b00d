/**
 * github-agent `manage` as its own process against the sandbox: a bulk of 200 operations planned in a
 * dry run changes nothing; applied, with the agent SIGKILLed mid-bulk and the job delivered again to
 * a fresh process, it does exactly the plan and creates no duplicate (the sandbox's data proves it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManageOperation } from "@pmo/contracts";
import type { ArtifactStore } from "@pmo/runtime";
import { startSandbox, type SandboxHandle } from "@pmo/sandbox";
import { runJob, startAgent, startWorld, type AgentWorld } from "../../services/github-agent/test/agent-kit.js";
import { waitForJobResult } from "../harness/jobs.js";

let sandbox: SandboxHandle;
let world: AgentWorld & { store: ArtifactStore };

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 23, itemsPerPlatform: 170 });
  world = await startWorld(sandbox);
}, 60_000);

afterAll(async () => {
  await world?.stop();
  await sandbox?.close();
});

const writes = () => sandbox.control.requests("github").filter((e) => e.method !== "GET");

describe("github-agent manage", () => {
  it("dry run changes nothing; applied through a SIGKILL and a redelivery, it does exactly the plan without duplicates", async () => {
    const people = sandbox.truth.people.map((p) => p.login);
    const [repo] = sandbox.truth.github.repos.map((r) => r.fullName);
    const targets = sandbox.truth.items.github.filter((i) => i.deletedAt === null).slice(0, 150);
    expect(targets.length).toBe(150);
    const operations: ManageOperation[] = [
      ...Array.from({ length: 50 }, (_, i): ManageOperation => ({ op: "create", title: `Bulk task ${i}`, description: `made by the bulk test (${i})`, assignee: people[i % people.length]!, priority: "high", labels: ["bulk"], container: repo })),
      ...targets.map((t, i): ManageOperation => (i % 3 === 0 ? { op: "close", id: `${t.container}#${t.seq}` } : { op: "update", id: `${t.container}#${t.seq}`, title: `Renamed ${t.seq} in ${t.container}`, priority: "low" })),
    ];
    const before = { items: sandbox.truth.items.github.length, writes: writes().length };
    const workflowId = `workflow-bulk-${process.pid}`;

    const dry = await (await runJob(world.nc, "manage", { platform: "github", operations, dryRun: true, containers: { repos: [repo] } }, { workflowId: `${workflowId}-dry` })).result;
    expect(dry.ok).toBe(true);
    const plan = dry.output.operations as { outcome: string; request: { method: string; path: string; body: Record<string, unknown> } }[];
    expect(plan.map((p) => p.outcome)).toEqual(operations.map(() => "planned"));
    expect(sandbox.truth.items.github.length).toBe(before.items);
    expect(writes().length).toBe(before.writes);

    // Applied: killed once some writes went through, then the same job reaches a new process.
    const { job } = await runJob(world.nc, "manage", { platform: "github", operations, dryRun: false, containers: { repos: [repo] } }, { workflowId, wait: false });
    const until = Date.now() + 30_000;
    while (writes().length - before.writes < 30 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    await world.agent.proc.kill();
    const writtenBeforeKill = writes().length - before.writes;
    expect(writtenBeforeKill).toBeGreaterThanOrEqual(30);
    expect(writtenBeforeKill).toBeLessThan(200);
    world.agent = await startAgent(world.env);
    await runJob(world.nc, "manage", job.input, { workflowId, msgId: `${job.jobId}-redelivered` });
    const applied = await waitForJobResult(world.nc, job.jobId, 60_000);
    expect(applied.error ?? null).toBeNull();

    const created = sandbox.truth.items.github.slice(before.items);
    expect(created.map((i) => i.title).sort()).toEqual(operations.filter((o) => o.op === "create").map((o) => o.title!).sort());
    const byLogin = new Map(sandbox.truth.people.map((p) => [p.key, p.login]));
    for (const [i, item] of created.entries()) {
      const op = operations.find((o) => o.title === item.title)!;
      expect(item.labels.sort(), item.title).toEqual(["bulk", "priority: high"]);
      expect(item.assignees.map((k) => byLogin.get(k))).toEqual([op.assignee]);
      expect(item.description).toContain(op.description!);
      expect(i).toBeLessThan(50);
    }
    for (const [i, t] of targets.entries()) {
      const planned = plan[50 + i]!.request;
      if (planned.body.state === "closed") expect(t.status, `#${t.seq}`).toBe("done");
      if (planned.body.title) expect(t.title).toBe(planned.body.title);
      if (planned.body.labels) expect(t.labels.sort()).toEqual([...(planned.body.labels as string[])].sort());
    }
    const metrics = applied.output.metrics as Record<string, number>;
    expect(metrics).toEqual({ tasksCreated: 50, tasksUpdated: expect.any(Number), tasksCompleted: expect.any(Number) });
    expect(metrics.tasksUpdated! + metrics.tasksCompleted!).toBeLessThanOrEqual(150);
    const bulk = JSON.parse(new TextDecoder().decode((await world.store.get(workflowId, "issues/github-bulk-operations.json"))!));
    expect(bulk.operations).toHaveLength(200);
    expect(await world.store.get(workflowId, `issues/${created[0]!.container.replace("/", "_")}_${created[0]!.seq}.json`)).not.toBeNull();
  }, 180_000);
});
