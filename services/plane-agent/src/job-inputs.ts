import { z } from "zod";
import { ManageOperationSchema } from "@pmo/contracts";
import { JobFailure } from "@pmo/runtime";

/** The project's Plane block from config/projects.json, as the orchestrator passes it (null when the project has none). */
export const PlaneContainersSchema = z.object({
  workspace: z.string().min(1),
  projectIds: z.array(z.string().min(1)).min(1),
  defaultProjectId: z.string().min(1).optional(),
});
export type PlaneContainers = z.infer<typeof PlaneContainersSchema>;

export const VerifyInputSchema = z.object({ containers: PlaneContainersSchema.nullable() });
export const CollectInputSchema = z.object({ containers: PlaneContainersSchema.nullable(), outputPath: z.string().min(1), eventsPath: z.string().min(1).optional() });
export const ManageInputSchema = z.object({ containers: PlaneContainersSchema.nullable(), operations: z.array(ManageOperationSchema), dryRun: z.boolean().default(false) });

/** Parses a job's input; a bad one (or a project without a Plane block) fails at once, naming what is missing. */
export function parseInput<S extends z.ZodType<{ containers: PlaneContainers | null }>>(schema: S, input: unknown, project: string): z.infer<S> & { containers: PlaneContainers } {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw JobFailure.nonRetryable(`plane: bad job input: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, "bad_input");
  if (!parsed.data.containers) throw JobFailure.nonRetryable(`plane: project "${project}" has no "plane" block (workspace + projectIds) in config/projects.json`, "missing_parameters");
  return parsed.data as z.infer<S> & { containers: PlaneContainers };
}
