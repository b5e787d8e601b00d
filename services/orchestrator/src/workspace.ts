import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { WORKSPACE_FOLDERS, type GlobalState } from "@pmo/contracts";
import { safeJoin } from "@pmo/runtime";

/** `project-workspace/` on disk: `active-projects/<id>/…` while running, moved to `archive/<id>/` once complete. */
export class Workspace {
  readonly root: string;
  /** Folders known to exist: mkdir is a syscall per write otherwise (a state mirror per transition). */
  private readonly made = new Set<string>();
  private readonly archived = new Set<string>();

  constructor(root: string) {
    this.root = resolve(root);
  }

  dir(workflowId: string): string {
    return safeJoin(join(this.root, "active-projects"), workflowId);
  }

  archiveDir(workflowId: string): string {
    return safeJoin(join(this.root, "archive"), workflowId);
  }

  file(workflowId: string, rel: string): string {
    return safeJoin(this.dir(workflowId), rel);
  }

  /** Creates the workflow's folder and the seed's sub-folders (idempotent). */
  async create(workflowId: string): Promise<string> {
    return this.createSync(workflowId);
  }

  /** `create`, throwing synchronously (a few cached mkdirs: the engine decides on the outcome in the same transition). */
  createSync(workflowId: string): string {
    const dir = this.dir(workflowId);
    for (const sub of WORKSPACE_FOLDERS) this.ensureDirSync(join(dir, sub));
    return dir;
  }

  /** Atomic write (temp file + rename): a reader never sees half a file. */
  async write(workflowId: string, rel: string, content: string | Uint8Array): Promise<string> {
    const file = this.file(workflowId, rel);
    this.ensureDirSync(dirname(file));
    await atomicWrite(file, content);
    return file;
  }

  /** A workspace file's bytes, or null when it is not there. `expectedSize` picks a synchronous read for small files (see atomicWrite). */
  async read(workflowId: string, rel: string, expectedSize: number): Promise<Buffer | null> {
    const file = this.file(workflowId, rel);
    try {
      return expectedSize <= SYNC_WRITE_LIMIT ? readFileSync(file) : await readFile(file);
    } catch {
      return null;
    }
  }

  /** mkdir is a cheap syscall; done synchronously for the same reason as small writes (see atomicWrite). */
  private ensureDirSync(dir: string): void {
    if (this.made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    if (this.made.size > 50_000) this.made.clear();
    this.made.add(dir);
  }

  /** Writes global-state.json where the workflow's files are (the archive, once moved there). */
  async mirrorState(state: GlobalState): Promise<void> {
    const text = `${JSON.stringify(state, null, 2)}\n`;
    if (state.status === "complete" && this.isArchived(state.workflowId)) await atomicWrite(join(this.archiveDir(state.workflowId), "global-state.json"), text);
    else await this.write(state.workflowId, "global-state.json", text);
  }

  /**
   * Moves the finished workspace to `archive/<id>/`: one rename, not a copy of every file. Idempotent:
   * a replay after a crash finds it already there.
   */
  async archive(workflowId: string): Promise<string> {
    const target = this.archiveDir(workflowId);
    this.ensureDirSync(join(this.root, "archive"));
    try {
      await rename(this.dir(workflowId), target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || !existsSync(target)) throw err;
    }
    this.archived.add(workflowId);
    return target;
  }

  isArchived(workflowId: string): boolean {
    return this.archived.has(workflowId) || existsSync(this.archiveDir(workflowId));
  }

  /** Where a workflow's files are now: its archive folder once archived, else its active folder. */
  current(workflowId: string): string {
    return this.isArchived(workflowId) ? this.archiveDir(workflowId) : this.dir(workflowId);
  }
}

/**
 * Below this size a file is written synchronously: measured here, a small write + rename costs ~0.1 ms
 * of CPU synchronously against ~0.37 ms through the promise API (three thread-pool round trips), and the
 * state mirror is written on every transition. Larger files (collected data) must not block the loop.
 * @default 256 KiB
 */
const SYNC_WRITE_LIMIT = 256 * 1024;

async function atomicWrite(file: string, content: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  if ((typeof content === "string" ? content.length * 3 : content.byteLength) <= SYNC_WRITE_LIMIT) {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
    return;
  }
  await writeFile(tmp, content);
  await rename(tmp, file);
}
