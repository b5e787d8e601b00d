import { AdminReplySchema, PLATFORMS, Subjects, type Platform } from "@pmo/contracts";
import { connectCli, UsageError } from "../connection.js";

/** `pmo webhooks register --platform P --url U`: asks the running platform agent to register its webhook. */
export async function webhooksCommand(sub: string | undefined, opts: { platform?: string; url?: string; containers?: string }, out = process.stdout): Promise<number> {
  if (sub !== "register") throw new UsageError("usage: pmo webhooks register --platform clickup|github|plane --url https://your-host/webhooks/<platform> [--containers a,b]");
  if (!opts.platform || !PLATFORMS.includes(opts.platform as Platform)) throw new UsageError(`--platform must be one of ${PLATFORMS.join(", ")}`);
  if (!opts.url) throw new UsageError("--url is required: the address the platform will POST to (this agent's /webhooks/<platform>, reachable from the platform)");
  const nc = await connectCli();
  try {
    const request = { url: opts.url, ...(opts.containers ? { containers: opts.containers.split(",") } : {}) };
    let raw;
    try {
      raw = await nc.request(Subjects.agentAdmin(opts.platform, "webhooks.register"), JSON.stringify(request), { timeout: 30_000 });
    } catch (err) {
      if ((err as Error).name === "NoRespondersError" || /no responders/i.test((err as Error).message)) throw new Error(`no ${opts.platform}-agent is running to register the webhook (start the mesh with pmo up)`);
      throw err;
    }
    const reply = AdminReplySchema.parse(raw.json());
    out.write(`${reply.message}\n`);
    if (reply.data !== undefined) out.write(`${JSON.stringify(reply.data, null, 2)}\n`);
    return reply.ok ? 0 : 1;
  } finally {
    await nc.close();
  }
}
