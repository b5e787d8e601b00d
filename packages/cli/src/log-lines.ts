const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
const SKIP = new Set(["level", "time", "pid", "hostname", "name", "service", "instance", "msg", "v"]);

/** One pino JSON line → `07:59:01 INFO  workflow accepted workflowId=… action=…`; other text passes through. */
export function formatLogLine(line: string): string {
  if (!line.startsWith("{")) return line;
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(line);
  } catch {
    return line;
  }
  const time = typeof e.time === "string" ? e.time.slice(11, 19) : "";
  const level = (LEVELS[Number(e.level)] ?? String(e.level)).padEnd(5);
  const fields = Object.entries(e)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
  return `${time} ${level} ${String(e.msg ?? "")}${fields ? ` ${fields}` : ""}`;
}
