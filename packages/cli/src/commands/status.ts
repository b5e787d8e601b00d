import { Kvm } from "@nats-io/kv";
import { Bucket, PHASES, type GlobalState } from "@pmo/contracts";
import { getJson } from "@pmo/runtime";
import { connectCli, UsageError } from "../connection.js";

interface Stored {
  state: GlobalState;
}

/** Every workflow's state, newest first. */
export async function listStates(): Promise<GlobalState[]> {
  const nc = await connectCli();
  try {
    const kv = await new Kvm(nc).open(Bucket.Workflows);
    const states: GlobalState[] = [];
    for await (const key of await kv.keys()) {
      const v = await getJson<Stored>(kv, key);
      if (v) states.push(v.value.state);
    }
    return states.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.workflowId.localeCompare(a.workflowId));
  } finally {
    await nc.close();
  }
}

export async function statusCommand(id: string | undefined, json: boolean, out = process.stdout): Promise<number> {
  let state: GlobalState | undefined;
  if (id) {
    const nc = await connectCli();
    try {
      state = (await getJson<Stored>(await new Kvm(nc).open(Bucket.Workflows), id))?.value.state;
    } finally {
      await nc.close();
    }
    if (!state) throw new UsageError(`no workflow ${id} (pmo list shows them)`);
  } else {
    state = (await listStates())[0];
    if (!state) throw new UsageError("no workflows yet: start one with pmo run");
  }
  if (json) {
    out.write(`${JSON.stringify(state, null, 2)}\n`);
    return 0;
  }
  out.write(`${state.workflowId}  ${state.action}  ${state.platforms.join(",")}  ${state.status}  (started ${state.createdAt} by ${state.author}, ${(state.metadata.executionTime / 1000).toFixed(1)} s)\n`);
  for (const p of PHASES) {
    const ph = state.phases[p];
    out.write(`  ${p.padEnd(16)} ${ph.status.padEnd(12)} ${ph.timestamp ?? ""}\n`);
    if (p === "discovery") for (const [a, s] of Object.entries(state.phases.discovery.agents)) out.write(`    ${a.padEnd(14)} ${s.status}\n`);
    if (p === "actions") for (const [a, s] of Object.entries(state.phases.actions.subphases)) out.write(`    ${a.padEnd(14)} ${s.status}\n`);
  }
  if (state.metadata.errors.length) {
    out.write(`errors (${state.metadata.errors.length}):\n`);
    for (const e of state.metadata.errors) out.write(`  [${e.phase} #${e.attempt}] ${e.message}\n`);
  }
  return 0;
}

export async function listCommand(json: boolean, out = process.stdout): Promise<number> {
  const states = await listStates();
  if (json) {
    out.write(`${JSON.stringify(states.map((s) => ({ workflowId: s.workflowId, action: s.action, platforms: s.platforms, status: s.status, createdAt: s.createdAt })), null, 2)}\n`);
    return 0;
  }
  if (!states.length) out.write("no workflows yet\n");
  for (const s of states) out.write(`${s.workflowId.padEnd(34)} ${s.action.padEnd(8)} ${s.status.padEnd(12)} ${s.platforms.join(",").padEnd(22)} ${s.createdAt}\n`);
  return 0;
}
