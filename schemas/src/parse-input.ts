import type { z } from "zod";
import { SchemaError, type SchemaIssue } from "./errors.js";

/** Formats a zod/JS path as a readable dotted path: `["evidence", 0, "id"]` → `evidence[0].id`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** Readable issues (path + message) from a zod error, capped so a hostile body cannot make a huge answer. */
export function zodIssues(error: z.ZodError, max = 20): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  for (const i of error.issues) {
    // An unknown key is reported at the key itself (`achievement.foo`), not at its parent object.
    if (i.code === "unrecognized_keys") {
      for (const k of i.keys)
        out.push({ path: formatPath([...i.path, k]), message: `unknown field "${k}"`, code: i.code });
    } else {
      out.push({ path: formatPath(i.path), message: i.message, code: i.code });
    }
  }
  return out.slice(0, max);
}

/**
 * Parses untrusted input with a zod schema, the one way every route in every package does it.
 * @throws SchemaError `schema.invalid` (400) with `issues` (path + message) and `path` of the first issue.
 * @example const body = parseInput(issueRequestSchema, request.body);
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = zodIssues(r.error);
  const first = issues[0];
  const message = first
    ? `invalid input: ${first.path === "" ? "" : `${first.path}: `}${first.message}${issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : ""}`
    : "invalid input";
  return throwInvalid(message, issues, r.error);
}

function throwInvalid(message: string, issues: SchemaIssue[], cause: unknown): never {
  const first = issues[0];
  throw new SchemaError("schema.invalid", message, {
    issues,
    cause,
    ...(first && first.path !== "" ? { path: first.path } : {}),
  });
}
