// The image's entrypoint: runs the compiled service named by the first argument or by PMO_SERVICE,
//   docker run pmo:local orchestrator        docker run -e PMO_SERVICE=report-agent pmo:local
// in this process (no wrapper left between the service and the signals it handles).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const appDir = join(import.meta.dirname, "..");
const servicesDir = join(appDir, "services");
const entryOf = (name) => join(servicesDir, name, "dist", "main.js");
const available = readdirSync(servicesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(entryOf(d.name)))
  .map((d) => d.name)
  .sort();

const name = process.argv[2] || process.env.PMO_SERVICE;
if (!name || !available.includes(name)) {
  process.stderr.write(`${name ? `unknown service "${name}"` : "no service named"}: pass one as the argument or in PMO_SERVICE; this image has ${available.join(", ")}\n`);
  process.exit(64);
}
process.title = name;
await import(pathToFileURL(entryOf(name)).href);
