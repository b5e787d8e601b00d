// npm run build:dist [-- <service>...]: compiles the production TypeScript with tsc (tsconfig.build.json)
// and stages a runnable tree in dist/app, laid out as the image's /app:
//   dist/app/packages/<p>/{package.json, dist/}   dist/app/services/<s>/{package.json, dist/}
//   dist/app/bin/{pmo-service.mjs, healthcheck.mjs}
//   dist/app/node_modules/@pmo/<x> → ../../<packages|services>/<x>
// Each staged package.json points its exports at dist/*.js instead of src/*.ts, so plain `node` resolves
// the workspace packages as compiled JavaScript. Third-party modules come from node_modules further up
// (here the repo's; in the image, a production-only `npm ci`). With service names, only those services
// and the workspace packages they depend on are compiled.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { createRequire } from "node:module";

const root = resolve(import.meta.dirname, "../..");
const distDir = join(root, "dist");
const tscOut = join(distDir, "tsc");
const appDir = join(distDir, "app");
const only = process.argv.slice(2);

function allWorkspaces() {
  const found = [];
  for (const group of ["packages", "services"]) {
    for (const entry of readdirSync(join(root, group)).sort()) {
      const dir = join(group, entry);
      if (!existsSync(join(root, dir, "package.json")) || !existsSync(join(root, dir, "src"))) continue;
      const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
      found.push({ group, entry, dir, name: manifest.name, deps: Object.keys(manifest.dependencies ?? {}) });
    }
  }
  return found;
}

/** Every workspace, or the named services and the workspace packages they depend on (transitively). */
function workspaces() {
  const all = allWorkspaces();
  if (!only.length) return all;
  const unknown = only.filter((n) => !all.some((w) => w.group === "services" && w.entry === n));
  if (unknown.length) throw new Error(`no such service: ${unknown.join(", ")}`);
  const byName = new Map(all.map((w) => [w.name, w]));
  const picked = new Set();
  const visit = (w) => {
    if (picked.has(w)) return;
    picked.add(w);
    for (const d of w.deps) if (byName.has(d)) visit(byName.get(d));
  };
  for (const w of all) if (w.group === "services" && only.includes(w.entry)) visit(w);
  return all.filter((w) => picked.has(w));
}

function compile(selected) {
  let project = join(root, "tsconfig.build.json");
  if (only.length) {
    mkdirSync(distDir, { recursive: true });
    project = join(distDir, "tsconfig.selected.json");
    const include = selected.map((w) => `${w.dir}/src/**/*.ts`);
    writeFileSync(project, JSON.stringify({ extends: "../tsconfig.build.json", include: include.map((p) => `../${p}`) }, null, 2));
  }
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", project], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** "./src/index.ts" → "./dist/index.js" in every exports target (types keep pointing at the sources). */
function toDist(target) {
  return typeof target === "string" ? target.replace(/^\.\/src\//, "./dist/").replace(/\.ts$/, ".js") : target;
}

function stageManifest(ws) {
  const manifest = JSON.parse(readFileSync(join(root, ws.dir, "package.json"), "utf8"));
  const exports = manifest.exports ?? {};
  manifest.exports = Object.fromEntries(
    Object.entries(exports).map(([key, value]) => [key, typeof value === "string" ? toDist(value) : Object.fromEntries(Object.entries(value).filter(([cond]) => cond !== "types").map(([cond, t]) => [cond, toDist(t)]))]),
  );
  // Development entry points (tsx-based bins and scripts) have no place in the runtime tree.
  delete manifest.bin;
  delete manifest.scripts;
  delete manifest.devDependencies;
  writeFileSync(join(appDir, ws.dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Non-TypeScript files under src/ (templates, fonts, JSON) travel with the compiled code; test material does not. */
function copyAssets(ws) {
  const src = join(root, ws.dir, "src");
  cpSync(src, join(appDir, ws.dir, "dist"), {
    recursive: true,
    filter: (path) => !/(^|[\\/])testing([\\/]|$)|\.test\./.test(relative(src, path)) && (statSync(path).isDirectory() || !/\.(ts|tsx)$/.test(path)),
  });
}

const selected = workspaces();
rmSync(tscOut, { recursive: true, force: true });
compile(selected);
rmSync(appDir, { recursive: true, force: true });
for (const ws of selected) {
  const compiled = join(tscOut, ws.dir, "src");
  if (!existsSync(compiled)) continue; // a package with no production code
  mkdirSync(join(appDir, ws.dir), { recursive: true });
  copyAssets(ws);
  cpSync(compiled, join(appDir, ws.dir, "dist"), { recursive: true });
  stageManifest(ws);
  const link = join(appDir, "node_modules", ...ws.name.split("/"));
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(relative(dirname(link), join(appDir, ws.dir)), link);
}
mkdirSync(join(appDir, "bin"), { recursive: true });
for (const file of ["pmo-service.mjs", "healthcheck.mjs"]) cpSync(join(root, "deploy/docker", file), join(appDir, "bin", file));
process.stdout.write(`staged ${selected.map((w) => w.dir).join(", ")} in ${relative(root, appDir)}\n`);
