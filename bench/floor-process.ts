/**
 * The floor client as a process of its own (started by FloorProcess in floor-runner.ts): it runs
 * each floor job it is sent over IPC and answers with the ms it took, or the error.
 */
import { runFloor, type FloorJob } from "./floors.js";

process.on("message", (job: FloorJob) => {
  runFloor(job).then(
    (ms) => process.send!({ ms }),
    (err: unknown) => process.send!({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
process.send!({ ready: true });
