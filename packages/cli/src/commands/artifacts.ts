import { resolve } from "node:path";
import { Objm } from "@nats-io/obj";
import { ObjectStore } from "@pmo/contracts";
import { ArtifactStore } from "@pmo/runtime";
import { connectCli, UsageError } from "../connection.js";

/** Lists a workflow's artifacts from the object store; with `--out`, writes them under that folder. */
export async function artifactsCommand(id: string | undefined, outDir: string | undefined, json: boolean, out = process.stdout): Promise<number> {
  if (!id) throw new UsageError("usage: pmo artifacts <workflow-id> [--out dir]");
  const nc = await connectCli();
  try {
    const store = new ArtifactStore(await new Objm(nc).open(ObjectStore.Artifacts));
    const list = await store.list(id);
    if (!list.length) throw new UsageError(`no artifacts for ${id}`);
    const written: string[] = [];
    if (outDir) for (const a of list) written.push((await store.materialize(id, a.path, resolve(outDir)))!.file);
    if (json) out.write(`${JSON.stringify({ workflowId: id, artifacts: list, written }, null, 2)}\n`);
    else {
      for (const a of list) out.write(`${a.path}  ${a.size} B  ${a.digest}\n`);
      if (outDir) out.write(`wrote ${written.length} files under ${resolve(outDir)}\n`);
    }
    return 0;
  } finally {
    await nc.close();
  }
}
