/**
 * GitHub refuses an issue or comment body over 65,536 characters (a known pain of issue-metrics), so a
 * long markdown report is cut into numbered parts that each fit: the main file keeps the head of the
 * report and links every part; each part links back. Cuts fall between lines, preferably before a
 * section heading; a table cut in two repeats its header row in the next part.
 */

/** GitHub's body limit, in characters. @default 65536 */
export const MARKDOWN_PART_LIMIT = 65_536;

export interface MarkdownPart {
  /** File name relative to the main file's folder. */
  fileName: string;
  content: string;
}

export interface SplitMarkdown {
  main: string;
  /** Parts 2…n (empty when the report fits in one file). */
  parts: MarkdownPart[];
}

/** `weekly-2026-W48.md` → `weekly-2026-W48.part-2.md`. */
export function partFileName(mainFileName: string, n: number): string {
  return mainFileName.replace(/\.md$/, "") + `.part-${n}.md`;
}

/** Room kept in each part for its navigation lines. */
const NAV_RESERVE = 2_000;

export function splitMarkdown(markdown: string, mainFileName: string, title: string, limit = MARKDOWN_PART_LIMIT): SplitMarkdown {
  if (markdown.length <= limit) return { main: markdown, parts: [] };
  const chunks = packLines(markdown.split("\n"), limit - NAV_RESERVE);
  const n = chunks.length;
  const names = chunks.map((_, i) => (i === 0 ? mainFileName : partFileName(mainFileName, i + 1)));
  const link = (i: number) => `[part ${i + 1}](${names[i]})`;
  const index = `> This report is split into ${n} parts (GitHub's ${limit.toLocaleString("en-US")}-character limit): ${names.map((_, i) => (i === 0 ? "part 1 (this file)" : link(i))).join(" · ")}\n\n`;
  const main = index + chunks[0]!.join("\n") + `\n\n**Continued in ${link(1)}.**\n`;
  const parts = chunks.slice(1).map((lines, k) => {
    const i = k + 1;
    const nav = [`[report](${mainFileName})`, `part ${i + 1} of ${n}`, ...(i + 1 < n ? [link(i + 1)] : [])].join(" · ");
    return { fileName: names[i]!, content: `# ${title} (part ${i + 1} of ${n})\n\n${nav}\n\n${lines.join("\n")}\n\n${nav}\n` };
  });
  for (const p of [{ content: main }, ...parts]) {
    if (p.content.length > limit) throw new RangeError(`a markdown part is ${p.content.length} characters, over the ${limit} limit`);
  }
  return { main, parts };
}

/** Greedy line packing; a cut inside a table re-opens it with its header in the next chunk. */
function packLines(lines: string[], budget: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  let tableHeader: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.length > budget / 2 ? lines[i]!.slice(0, Math.floor(budget / 2) - 1) + "…" : lines[i]!;
    if (line.startsWith("|") && lines[i + 1]?.startsWith("|-") && !lines[i - 1]?.startsWith("|")) tableHeader = [line, lines[i + 1]!];
    else if (!line.startsWith("|")) tableHeader = null;
    // Prefer to end a chunk before a section heading once it is three quarters full.
    const headingBreak = line.startsWith("## ") && size > budget * 0.75;
    if ((size + line.length + 1 > budget || headingBreak) && current.length) {
      chunks.push(current);
      const inTable = tableHeader !== null && line.startsWith("|") && !line.startsWith("|-") && line !== tableHeader[0];
      current = inTable ? [...tableHeader!] : [];
      size = current.reduce((s, l) => s + l.length + 1, 0);
    }
    current.push(line);
    size += line.length + 1;
  }
  if (current.length) chunks.push(current);
  return chunks;
}
