import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { z } from "zod";
import { describeIssues } from "@pmo/contracts";
import { ConfigError } from "./errors.js";
import { PlatformFileSchema, ProjectsFileSchema, WorkflowFileSchema } from "./config-schemas.js";

/** A configuration file a service may read: its name in `config/`, its schema, and whether it must exist. */
export interface ConfigFileSpec<S extends z.ZodType> {
  file: string;
  schema: S;
  /** When absent and not required, the schema's defaults apply to `{}`. */
  required: boolean;
}

export const ConfigFiles = {
  projects: { file: "projects.json", schema: ProjectsFileSchema, required: true },
  workflow: { file: "workflow.json", schema: WorkflowFileSchema, required: false },
  clickup: { file: "clickup-config.json", schema: PlatformFileSchema, required: true },
  github: { file: "github-config.json", schema: PlatformFileSchema, required: true },
  plane: { file: "plane-config.json", schema: PlatformFileSchema, required: true },
} as const;

/** Reads and validates one file; a bad file fails with the file and each field named. */
export async function loadConfigFile<S extends z.ZodType>(dir: string, spec: ConfigFileSpec<S>): Promise<z.infer<S>> {
  const path = join(dir, spec.file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && !spec.required) return parseOrThrow(path, spec.schema, {});
    throw new ConfigError(path, [(err as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (err as Error).message], { cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, [`not valid JSON: ${(err as Error).message}`], { cause: err });
  }
  return parseOrThrow(path, spec.schema, data);
}

function parseOrThrow<S extends z.ZodType>(path: string, schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ConfigError(path, describeIssues(parsed.error));
  return parsed.data;
}

/** Resolves a credential: the env var named in the file wins over an inline value; secrets never get logged. */
export function resolveSecret(inline: string | undefined, envVar: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = envVar ? env[envVar] : undefined;
  return fromEnv && fromEnv.length > 0 ? fromEnv : inline;
}
