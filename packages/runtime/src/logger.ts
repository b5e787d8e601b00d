import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Paths pino blanks out wherever they appear (one level of nesting covered by the wildcard):
 * credentials must never reach a log line.
 */
export const REDACTED_PATHS = [
  "token", "*.token", "apiKey", "*.apiKey", "password", "*.password", "secret", "*.secret",
  "webhookSecret", "*.webhookSecret", "authorization", "*.authorization", "headers.authorization",
  "headers['x-api-key']", "*.headers.authorization", "*.headers['x-api-key']", "NATS_PASSWORD", "NATS_TOKEN",
  "CLICKUP_API_TOKEN", "GITHUB_TOKEN", "PLANE_API_KEY",
];

export function createLogger(service: string, level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service, pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? process.stdout,
  );
}
