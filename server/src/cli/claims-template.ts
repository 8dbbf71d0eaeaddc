// The claims template the cohort commands start every row from (`--type` + `--file claims.json`),
// and the columns a row may set on it. The server validates each item (docs/API.md); the CLI only
// assembles bodies and reports the server's problem per row.
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

/**
 * A row's body: the template with the row's `name` (achievement name, object name or MPU title,
 * by type), `validUntil` and the dates of the learning (`subject.activityStartDate` / `…EndDate`).
 * `subject` is the DID for direct issuance; offers have none (the wallet binds its own).
 */
export function rowBody(
  template: Record<string, unknown>,
  cells: Record<string, string>,
  subject?: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = structuredClone(template);
  const name = cells.name;
  if (name) {
    const pick = (k: string) => ({ ...((body[k] as Record<string, unknown> | undefined) ?? {}) });
    if (body.type === "MicroCredential") body.achievement = { ...pick("achievement"), name };
    else if (body.type === "Attribution") body.object = { ...pick("object"), name };
    else if (body.type === "MPUAuthorship") body.mpu = { ...pick("mpu"), title: name };
  }
  if (cells.validUntil) body.validUntil = cells.validUntil;
  const dates: Record<string, string> = {};
  if (cells.activityStartDate) dates.activityStartDate = cells.activityStartDate;
  if (cells.activityEndDate) dates.activityEndDate = cells.activityEndDate;
  const base = (body.subject as Record<string, unknown> | undefined) ?? {};
  if (subject !== undefined || Object.keys(dates).length > 0)
    body.subject = { ...base, ...dates, ...(subject !== undefined ? { id: subject } : {}) };
  return body;
}
