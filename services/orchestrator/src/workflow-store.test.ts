import { describe, expect, it } from "vitest";
import type { WorkflowFile } from "@pmo/runtime";
import { natsWithTopology } from "../../../test/harness/nats-fixture.js";
import { newRecord } from "./new-record.js";
import type { EngineContext } from "./transitions.js";
import { WorkflowStore } from "./workflow-store.js";

const ctx = (): EngineContext => ({ now: Date.now(), instance: "test", policy: {} as WorkflowFile, leaseMs: 1_000 });

describe("WorkflowStore: what a replica remembers never overrides KV", () => {
  const nats = natsWithTopology();

  const record = (id: string) =>
    newRecord({ workflowId: id, requestId: `r-${id}`, request: { action: "report", platforms: ["github"], project: "web", parameters: { reportType: "daily", formats: ["markdown"] } } as never, project: { github: { repos: ["a/b"] } } as never, now: Date.now() });

  it("a commit on a stale remembered revision loses the CAS, re-reads and applies the change on top of the other replica's write", async () => {
    const a = new WorkflowStore(nats.topo.kv.Workflows);
    const b = new WorkflowStore(nats.topo.kv.Workflows);
    const id = "workflow-2026-01-01-000001";
    const created = await a.create(record(id));
    expect(created).not.toBeNull();
    // Replica b moves the workflow on; replica a still remembers the created revision.
    const byB = await b.commit(id, ctx, (t) => void (t.record.engine.nextJob = 7));
    expect(byB!.revision).toBeGreaterThan(created!.revision);
    expect((await a.get(id))!.revision).toBe(created!.revision);

    const seen: number[] = [];
    const byA = await a.commit(id, ctx, (t) => {
      seen.push(t.record.engine.nextJob);
      t.record.engine.nextJob += 1;
    });
    // First try on the stale copy (lost the CAS), second on b's write.
    expect(seen).toEqual([1, 7]);
    expect(byA!.record.engine.nextJob).toBe(8);
    const stored = await a.read(id);
    expect(stored!.record.engine.nextJob).toBe(8);
    expect(stored!.revision).toBe(byA!.revision);
  });

  it("a newer revision seen on the watch drops the remembered one; an unchanged transition writes nothing", async () => {
    const a = new WorkflowStore(nats.topo.kv.Workflows);
    const id = "workflow-2026-01-01-000002";
    const created = await a.create(record(id));
    expect(a.at(id, created!.revision)).not.toBeNull();
    a.observe(id, created!.revision + 1);
    expect(a.at(id, created!.revision)).toBeNull();
    expect(await a.commit(id, ctx, () => undefined)).toBeNull();
    expect((await a.read(id))!.revision).toBe(created!.revision);
  });

  it("forgets a workflow once it is finished", async () => {
    const a = new WorkflowStore(nats.topo.kv.Workflows);
    const id = "workflow-2026-01-01-000003";
    await a.create(record(id));
    const done = await a.commit(id, ctx, (t) => {
      t.record.state.status = "complete";
      t.record.engine.phase = null;
    });
    expect(a.at(id, done!.revision)).toBeNull();
    expect((await a.get(id))!.record.state.status).toBe("complete");
  });
});
