import { z } from "zod";

/** Every message we define travels in a versioned envelope; a reader rejects versions it does not know. */
export const ENVELOPE_VERSION = 1;

export const envelopeOf = <T extends string, P extends z.ZodType>(type: T, payload: P) =>
  z.object({
    version: z.literal(ENVELOPE_VERSION, { error: (i) => `unsupported version ${JSON.stringify(i.input)} (this build reads version ${ENVELOPE_VERSION})` }),
    type: z.literal(type),
    payload,
  });

export const wrap = <T extends string, P>(type: T, payload: P) => ({ version: ENVELOPE_VERSION, type, payload }) as const;

/** Field-named, one line per problem: `parameters.reportType: required when action is "report"`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
