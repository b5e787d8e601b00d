import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  /** The exact bytes that arrived (what a signature is computed over). */
  body: Buffer;
}

/**
 * A webhook receiver on 127.0.0.1 for tests: keeps each delivery's headers and raw bytes, answers with
 * the scripted statuses in turn (then `fallback`), optionally holding every answer until `hold` settles.
 */
export async function startWebhookReceiver(opts: { statuses?: number[]; fallback?: number; hold?: Promise<void> } = {}) {
  const statuses = [...(opts.statuses ?? [])];
  const received: ReceivedDelivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      if (opts.hold) await opts.hold;
      res.writeHead(statuses.shift() ?? opts.fallback ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}
