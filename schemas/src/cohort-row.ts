// One row of a cohort CSV as a request body (docs/API.md "Cohorts from the command line" and "The
// issuer console"): the CLI's `offer --csv` / `issue --csv` and the console's cohort view read the
// same columns the same way.

/** The columns {@link cohortRowRequest} reads, in the order cohort files list them. */
export const COHORT_ROW_COLUMNS = [
  "name",
  "validUntil",
  "activityStartDate",
  "activityEndDate",
  "image",
  "imageDigest",
] as const;

/**
 * A cohort row's request body: the template with the row's `name` (achievement name, object name or MPU title,
 * by type), `validUntil`, the dates of the learning (`subject.activityStartDate` / `…EndDate`) and,
 * for a MicroCredential, the badge image (`image`: https URL or data: URI, `imageDigest`: its
 * `digestSRI`, required for an https image; checked with the request, image.ts).
 * `subject` is the DID for direct issuance; offers have none (the wallet binds its own).
 */
export function cohortRowRequest(
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
  // Only a MicroCredential has an achievement to carry it; on another type the request is refused
  // (schema.invalid at `achievement`) rather than the column silently dropped.
  if (cells.image) {
    const achievement = { ...((body.achievement as Record<string, unknown> | undefined) ?? {}) };
    achievement.image = { id: cells.image, ...(cells.imageDigest ? { digestSRI: cells.imageDigest } : {}) };
    body.achievement = achievement;
  }
  const dates: Record<string, string> = {};
  if (cells.activityStartDate) dates.activityStartDate = cells.activityStartDate;
  if (cells.activityEndDate) dates.activityEndDate = cells.activityEndDate;
  const base = (body.subject as Record<string, unknown> | undefined) ?? {};
  if (subject !== undefined || Object.keys(dates).length > 0)
    body.subject = { ...base, ...dates, ...(subject !== undefined ? { id: subject } : {}) };
  return body;
}
