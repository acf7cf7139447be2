import type { z } from "zod";
import { AppError } from "./errors.ts";

/** Formats zod issues as one sentence a person can act on: "name: Use at most 80 characters". */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.map(String).join(".");
      const msg =
        i.code === "unrecognized_keys"
          ? `unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `"${k}"`).join(", ")}`
          : i.message;
      return path ? `${path}: ${msg}` : msg;
    })
    .join("; ");
}

/** Services validate their own input too: transport is not the only caller. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new AppError("VALIDATION_FAILED", describeIssues(r.error.issues));
  return r.data;
}
