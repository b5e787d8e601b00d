import { PHASES, type WorkflowEvent } from "@pmo/contracts";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const MARK: Record<string, string> = { pending: "·", in_progress: "", complete: "✔", error: "✖" };

/** Live progress: a redrawn phase list on a TTY, one plain line per event otherwise. */
export class Progress {
  private readonly status = new Map<string, string>(PHASES.map((p) => [p, "pending"]));
  private readonly notes = new Map<string, string>();
  private frame = 0;
  private drawn = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly tty = Boolean(out.isTTY) && process.env.TERM !== "dumb",
  ) {
    if (this.tty) this.timer = setInterval(() => this.draw(), 100);
  }

  event(e: WorkflowEvent): void {
    if (!this.tty) {
      const parts = [e.at.slice(11, 19), e.type, e.phase ?? "", e.message ?? "", dataNote(e)].filter(Boolean);
      this.out.write(`${parts.join("  ")}\n`);
      return;
    }
    if (e.phase && (e.type === "phase.started" || e.type === "phase.completed" || e.type === "phase.failed")) this.status.set(e.phase, e.status ?? "in_progress");
    if (e.phase && (e.type === "job.retrying" || e.type === "job.failed" || e.type === "job.dispatched" || e.type === "job.succeeded")) this.notes.set(e.phase, `${e.type.slice(4)} ${String(e.data?.task ?? "")}`);
    this.draw();
  }

  private draw(): void {
    if (!this.tty) return;
    this.frame = (this.frame + 1) % FRAMES.length;
    const lines = PHASES.map((p) => {
      const s = this.status.get(p)!;
      const mark = s === "in_progress" ? FRAMES[this.frame] : MARK[s];
      const note = s === "in_progress" && this.notes.get(p) ? `  \x1b[2m${this.notes.get(p)}\x1b[0m` : "";
      return `${mark} ${p}${note}`;
    });
    if (this.drawn) this.out.write(`\x1b[${this.drawn}A`);
    for (const l of lines) this.out.write(`\x1b[2K${l}\n`);
    this.drawn = lines.length;
  }

  done(): void {
    if (this.timer) clearInterval(this.timer);
    this.draw();
  }
}

function dataNote(e: WorkflowEvent): string {
  const d = e.data ?? {};
  if (e.type === "job.dispatched" || e.type === "job.succeeded") return `${String(d.task ?? "")} (attempt ${String(d.attempt ?? 1)})`;
  if (e.type === "job.retrying") return `${String(d.task ?? "")} retry in ${String(d.retryInMs ?? "?")} ms`;
  return "";
}
