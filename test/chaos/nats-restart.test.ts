import { afterEach, describe, expect, it } from "vitest";
import { publishRequest, startMesh, waitForRecord, waitForWorkflow, type TestMesh } from "../harness/mesh.js";

describe("chaos: the NATS server restarts mid-workflow", () => {
  let mesh: TestMesh | null = null;
  afterEach(async () => {
    await mesh?.stop();
    mesh = null;
  });

  it("every service reconnects on its own and the workflow completes with its state intact", async () => {
    mesh = await startMesh({ behaviours: { "github.collect": { delayMs: 1_500 }, "clickup.collect": { delayMs: 1_500 } } });
    await publishRequest(mesh.nc, { action: "report", platforms: ["github", "clickup"], project: "web", requestId: "chaos-restart", parameters: { reportType: "weekly", formats: ["markdown"] } });
    await waitForRecord(mesh.nc, "chaos-restart", (r) => r.engine.phase === "discovery" && r.engine.tasks["discovery/github/collect"]?.status === "dispatched");
    await mesh.server.restart(); // SIGKILL, then the same port and store
    const { record } = await waitForWorkflow(mesh.nc, "chaos-restart", 45_000);
    expect(record.state.status).toBe("complete");
    // Nothing had to be retried: in-flight work survived the outage (results waited in the stream).
    expect(record.engine.tasks["discovery/github/collect"].jobIds.length).toBeLessThanOrEqual(2);
    expect(record.state.phases.reporting.status).toBe("complete");
  });
});
