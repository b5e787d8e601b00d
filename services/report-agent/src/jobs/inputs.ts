/** The `input` of each job this agent takes, as services/orchestrator/src/plan.ts builds it. */
import { z } from "zod";
import { PlatformSchema, ReportFormat, ReportType, describeIssues, isSafeRelativePath } from "@pmo/contracts";
import { JobFailure } from "@pmo/runtime";

const path = z.string().refine(isSafeRelativePath, "must be a relative path inside the workspace");
const reportType = z.enum(Object.values(ReportType) as [ReportType, ...ReportType[]]);

export const AnalyzeInputSchema = z.object({
  platforms: z.array(PlatformSchema).min(1),
  collected: z.array(path).min(1),
  reportType: reportType.nullable().default(null),
  sprint: z.string().nullable().default(null),
});
export type AnalyzeInput = z.infer<typeof AnalyzeInputSchema>;

export const RenderInputSchema = z.object({
  reportType,
  format: z.enum(Object.values(ReportFormat) as [ReportFormat, ...ReportFormat[]]),
  sprint: z.string().nullable().default(null),
  outputPath: path,
  analysis: z.array(path).default([]),
  collected: z.array(path).min(1),
});
export type RenderInput = z.infer<typeof RenderInputSchema>;

/** A job whose input does not parse will not parse on a retry either: fail it for good. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, op: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw JobFailure.nonRetryable(`${op} job input is invalid: ${describeIssues(parsed.error).join("; ")}`, "invalid_input");
  return parsed.data;
}
