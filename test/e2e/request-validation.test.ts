import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstream, DeliverPolicy } from "@nats-io/jetstream";
import { Stream, Subjects, WorkflowEventEnvelopeSchema, type WorkflowEvent } from "@pmo/contracts";
import { publishRequest, startMesh, waitForWorkflow, type TestMesh } from "../harness/mesh.js";

/** Reads the rejection events published after stream sequence `afterSeq`. */
async function rejections(mesh: TestMesh, afterSeq: number, count: number): Promise<WorkflowEvent[]> {
  const js = jetstream(mesh.nc);
  const consumer = await js.consumers.get(Stream.Workflows, { filter_subjects: Subjects.workflowRejected, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterSeq + 1 });
  const out: WorkflowEvent[] = [];
  const until = Date.now() + 10_000;
  while (out.length < count && Date.now() < until) {
    const m = await consumer.next({ expires: 1_000 });
    if (m) out.push(WorkflowEventEnvelopeSchema.parse(m.json()).payload);
  }
  return out;
}

const valid = { action: "report", platforms: ["github"], project: "web", parameters: { reportType: "weekly", formats: ["markdown"] } };

const CASES: Array<[string, unknown, RegExp]> = [
  ["unknown action", { ...valid, action: "deploy" }, /^action: action must be one of monitor\|report\|manage\|sync, got "deploy"$/],
  ["no platform", { ...valid, platforms: [] }, /^platforms: at least one platform is required$/],
  ["unknown platform", { ...valid, platforms: ["jira"] }, /^platforms\.0: /],
  ["missing project", { ...valid, project: undefined }, /^project: project is required$/],
  ["unknown project", { ...valid, project: "nope" }, /^project: unknown project "nope" \(configured: web\)$/],
  ["missing reportType", { ...valid, parameters: { formats: ["markdown"] } }, /^parameters\.reportType: required when action is "report"$/],
  ["bad format", { ...valid, parameters: { reportType: "weekly", formats: ["docx"] } }, /^parameters\.formats\.0: format must be one of markdown\|json\|html\|pdf, got "docx"$/],
  ["manage without title", { action: "manage", platforms: ["github"], project: "web" }, /^parameters\.title: required when action is "manage" without operations$/],
  ["manage update without id", { action: "manage", platforms: ["github"], project: "web", parameters: { operations: [{ op: "update", status: "done" }] } }, /^parameters\.operations\.0\.id: required to update an item$/],
  ["unknown version", { ...valid, version: 7 }, /^version: unsupported version 7 \(this build reads version 1\)$/],
  ["unknown envelope version", { version: 2, type: "workflow.request", payload: valid }, /^version: unsupported version 2/],
  ["not an object", [1, 2, 3], /^the request must be a JSON object$/],
];

describe("request validation", () => {
  let mesh: TestMesh;
  beforeAll(async () => {
    mesh = await startMesh({ agents: ["github", "report"] });
  });
  afterAll(async () => mesh?.stop());

  it("rejects each invalid request with a field-named error, stays up, and runs the next valid one", async () => {
    let first = 0;
    for (const [i, [, body]] of CASES.entries()) {
      const seq = await publishRequest(mesh.nc, JSON.stringify(Array.isArray(body) ? body : { ...(body as object), requestId: `bad-${i}` }));
      if (i === 0) first = seq - 1;
    }
    await publishRequest(mesh.nc, "{ this is not json");
    await publishRequest(mesh.nc, new Uint8Array(1024 * 1024 - 512).fill(0x41)); // ~1 MiB of garbage
    const events = await rejections(mesh, first, CASES.length + 2);
    expect(events).toHaveLength(CASES.length + 2);
    CASES.forEach(([name, body, pattern], i) => {
      const event = events[i]!;
      expect(event.type, name).toBe("workflow.rejected");
      if (!Array.isArray(body)) expect(event.requestId, name).toBe(`bad-${i}`);
      expect(event.errors?.some((e) => pattern.test(e)), `${name}: ${JSON.stringify(event.errors)}`).toBe(true);
    });
    expect(events[CASES.length]!.errors![0]).toMatch(/^malformed JSON/);
    expect(events[CASES.length + 1]!.errors![0]).toMatch(/^malformed JSON/);
    expect(events[CASES.length + 1]!.errors![0]!.length).toBeLessThan(300); // a preview, not the megabyte

    await publishRequest(mesh.nc, { ...valid, requestId: "good-after-bad" } as never);
    const { record } = await waitForWorkflow(mesh.nc, "good-after-bad");
    expect(record.state.status).toBe("complete");
  });
});
