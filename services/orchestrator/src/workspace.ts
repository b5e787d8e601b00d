import { cp, mkdir, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { WORKSPACE_FOLDERS, type GlobalState } from "@pmo/contracts";
import { safeJoin } from "@pmo/runtime";

/** `project-workspace/` on disk: `active-projects/<id>/…` while running, a copy in `archive/<id>/` at the end. */
export class Workspace {
  readonly root: string;

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
    const dir = this.dir(workflowId);
    for (const sub of WORKSPACE_FOLDERS) await mkdir(join(dir, sub), { recursive: true });
    return dir;
  }

  /** Atomic write (temp file + rename): a reader never sees half a file. */
  async write(workflowId: string, rel: string, content: string | Uint8Array): Promise<string> {
    const file = this.file(workflowId, rel);
    await mkdir(join(file, ".."), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, content);
    await rename(tmp, file);
    return file;
  }

  async mirrorState(state: GlobalState): Promise<void> {
    await this.write(state.workflowId, "global-state.json", `${JSON.stringify(state, null, 2)}\n`);
  }

  /** Copies the finished workspace into `archive/<id>/` (re-running overwrites: idempotent). */
  async archive(workflowId: string): Promise<string> {
    const target = this.archiveDir(workflowId);
    await mkdir(join(this.root, "archive"), { recursive: true });
    await cp(this.dir(workflowId), target, { recursive: true, force: true, filter: (src) => !src.endsWith(".tmp") });
    return target;
  }
}
