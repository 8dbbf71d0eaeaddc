// The claims template the cohort commands start every row from (`--type` + `--file claims.json`),
// (the columns a row may set on it are read by @meritlog/schemas `cohortRowRequest`, which the
// issuer console uses too). The server validates each item (docs/API.md); the CLI only assembles
// bodies and reports the server's problem per row.
import { usageError } from "./command.js";
import { parseUserJson, readUserFile } from "./context.js";

/** `--type TYPE --file claims.json` as a request body without subject. @throws CliError `cli.usage` */
export async function readTemplate(
  type: string | undefined,
  file: string | undefined,
  usage: string,
): Promise<Record<string, unknown>> {
  if (!type || !file) throw usageError("--type and --file are required", usage);
  const claims = parseUserJson(await readUserFile(file), file);
  if (claims === null || typeof claims !== "object" || Array.isArray(claims))
    throw usageError(`${file} must hold a JSON object of claims`, usage);
  return { ...(claims as Record<string, unknown>), type };
}
