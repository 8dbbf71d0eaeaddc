import { parseCsv as parseCsvText } from "@meritlog/core";
import {
  assertDates,
  COHORT_ROW_COLUMNS,
  cohortRowRequest,
  isSchemaError,
  parseOfferRequest,
} from "@meritlog/schemas";

/**
 * A cohort from a CSV file (RFC 4180): one offer per row, made from a template offer body and the
 * row's own columns. Every row is checked in the browser with the same rules the server applies
 * (`@meritlog/schemas`: forbidden fields, schema, naming, dates), so the preview shows each row's
 * problem before anything is issued.
 *
 * Columns (header names, any order; only `reference` is required):
 * - `reference`: the issuer's own label for the learner (≤ 200 characters; never in the credential)
 * - `name`: the achievement name (MicroCredential), object name (Attribution) or MPU title
 * - `validUntil`: end of validity, ISO 8601
 * - `activityStartDate`, `activityEndDate`: when the learning began and ended (Open Badges 3.0
 *   AchievementSubject; ISO 8601 with a time zone, end not before start), the same columns as the
 *   CLI's `offer --csv` (schemas `cohortRowRequest` reads both)
 * - `image`, `imageDigest`: the MicroCredential's badge image (https URL with its `sha256-…`
 *   digest, or a data: URI), as `achievement.image`
 * - `expiresInDays`: lifetime of the offer link in days (default 30, at most 365)
 * - `txCode`: `yes` to protect the link with a 6-digit code
 */
export const COHORT_COLUMNS = ["reference", ...COHORT_ROW_COLUMNS, "expiresInDays", "txCode"] as const;
const COHORT_MAX_ROWS = 1000;

export interface CohortRow {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  reference: string;
  /** The row's dates of the learning, as written (shown in the preview). */
  activityStartDate?: string;
  activityEndDate?: string;
  body: Record<string, unknown>;
  errors: string[];
}

/** The rows of an RFC 4180 CSV file (core's reader). */
export function parseCsv(text: string): string[][] {
  return parseCsvText(text).rows;
}

/** Every problem of a refused row (a refused request can break several rules at once), each once. */
function describe(e: unknown): string[] {
  if (isSchemaError(e)) {
    const issues = e.issues?.length
      ? e.issues.map((i) => (i.message.startsWith(`${i.path}:`) ? i.message : `${i.path}: ${i.message}`))
      : [e.message];
    return [...new Set(issues)].map((m) => `${e.code}: ${m}`);
  }
  return [e instanceof Error ? e.message : String(e)];
}

/** One offer body per CSV row, each with its problems (empty when the server will accept it). */
export function cohortRows(
  template: Record<string, unknown>,
  csv: string,
  now: Date,
): { rows: CohortRow[]; fileErrors: string[] } {
  const table = parseCsv(csv);
  const header = (table[0] ?? []).map((c) => c.trim());
  const fileErrors: string[] = [];
  if (!header.includes("reference"))
    fileErrors.push('The first line must name the columns, including "reference".');
  const unknown = header.filter((c) => c !== "" && !(COHORT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0)
    fileErrors.push(`Unknown columns: ${unknown.join(", ")}. Known: ${COHORT_COLUMNS.join(", ")}.`);
  if (table.length - 1 > COHORT_MAX_ROWS)
    fileErrors.push(`At most ${COHORT_MAX_ROWS} rows per cohort (this file has ${table.length - 1}).`);
  if (fileErrors.length > 0) return { rows: [], fileErrors };
  const rows: CohortRow[] = [];
  for (let i = 1; i < table.length; i++) {
    const cells = Object.fromEntries(header.map((k, j) => [k, (table[i]![j] ?? "").trim()]));
    const errors: string[] = [];
    const claims = cohortRowRequest(template, cells);
    const body: Record<string, unknown> = { ...claims };
    const reference = cells.reference ?? "";
    if (reference === "") errors.push("reference is empty");
    else if (reference.length > 200) errors.push("reference is longer than 200 characters");
    else body.reference = reference;
    if (cells.expiresInDays) {
      const days = Number(cells.expiresInDays);
      if (!Number.isInteger(days) || days < 1 || days > 365)
        errors.push("expiresInDays must be a whole number of days from 1 to 365");
      else body.expiresIn = days * 86_400;
    }
    if (cells.txCode) {
      if (!/^(yes|no|true|false)$/i.test(cells.txCode)) errors.push("txCode must be yes or no");
      else if (/^(yes|true)$/i.test(cells.txCode)) body.txCode = true;
    }
    try {
      parseOfferRequest(claims);
      assertDates(claims, now);
    } catch (e) {
      errors.push(...describe(e));
    }
    const row: CohortRow = { line: i + 1, reference, body, errors };
    if (cells.activityStartDate) row.activityStartDate = cells.activityStartDate;
    if (cells.activityEndDate) row.activityEndDate = cells.activityEndDate;
    rows.push(row);
  }
  return { rows, fileErrors };
}
