// Schema, scope and no-conversion checks. Our own credential types are parsed with
// @meritlog/schemas; credentials of other issuers get a structural VC check and whatever scope
// they state, and are never failed for lacking meritlog-specific content.
import {
  NO_CONVERSION,
  credentialKind,
  credentialSchema,
  describeCredential,
  isNoConversionNotice,
  findNoConversionNotice,
} from "@meritlog/schemas";
import type { Credential } from "@meritlog/schemas";
import type { Check } from "./report.js";
import type { CredentialForm } from "./credential-form.js";
import { vc2View } from "./credential-form.js";
import { check } from "./report.js";
import { say } from "./report-messages.js";
import { dataModelDefects } from "./vc-data-model.js";

const VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1";
const VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2";

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}
function strings(v: unknown, max = 50): string[] {
  return asArray(v)
    .filter((x): x is string => typeof x === "string")
    .slice(0, max);
}

/** Whether this credential claims to be one of ours (a meritlog kind or a registered issuer). */
export function isOurs(credential: Record<string, unknown>, registered: boolean): boolean {
  let kind: unknown;
  try {
    kind = credentialKind(credential);
  } catch {
    kind = undefined;
  }
  return kind !== undefined || registered;
}

/** VC Data Model structure (1.1 §4, 2.0 §4): contexts, type, issuer, subject. */
function structuralProblem(c: Record<string, unknown>): string | undefined {
  const ctx = asArray(c["@context"]);
  if (ctx[0] !== VC2_CONTEXT && ctx[0] !== VC1_CONTEXT)
    return "its first @context is not the W3C credentials context";
  if (!asArray(c.type).includes("VerifiableCredential"))
    return 'its type does not include "VerifiableCredential"';
  if (c.issuer === undefined) return "it names no issuer";
  if (!isObject(c.credentialSubject) && !Array.isArray(c.credentialSubject))
    return "it has no credentialSubject";
  return undefined;
}

/** The schema check: our types must parse; foreign credentials must be structurally VCs. */
export function checkSchema(
  credential: Record<string, unknown>,
  ours: boolean,
  form: CredentialForm = "vc2",
): Check & { parsed?: Credential } {
  const problem = structuralProblem(credential);
  if (problem)
    return check(
      false,
      "schema.not_a_credential",
      `This is not a well-formed Verifiable Credential: ${problem}.`,
    );
  // A credential in the VC Data Model 2.0 form must keep every structural MUST of that model
  // (a credential that breaks one is invalid, whoever issued it); each defect is named.
  if (form === "vc2" && asArray(credential["@context"])[0] === VC2_CONTEXT) {
    const defects = dataModelDefects(credential, "credential");
    if (defects.length > 0) {
      const first = defects[0]!;
      return check(
        false,
        "schema.data_model",
        `This credential breaks the VC Data Model 2.0: ${first.message}${defects.length > 1 ? ` (and ${defects.length - 1} more)` : ""}.`,
        { defects },
      );
    }
  }
  if (!ours) {
    const ob3 = asArray(credential.type).some(
      (t) => t === "OpenBadgeCredential" || t === "AchievementCredential",
    );
    return check(
      true,
      ob3 ? "schema.open_badge" : "schema.foreign",
      ob3
        ? say(
            `A well-formed Open Badges 3.0 credential from another issuer (its meritlog-specific content is not checked).`,
            "schema.open_badge",
          )
        : say(
            `A well-formed Verifiable Credential from another issuer (its meritlog-specific content is not checked).`,
            "schema.foreign",
          ),
    );
  }
  let kind: string | undefined;
  try {
    kind = credentialKind(credential);
  } catch {
    kind = undefined;
  }
  if (!kind && asArray(credential.type).includes("EndorsementCredential"))
    return checkEndorsementShape(credential);
  if (!kind)
    return check(
      false,
      "schema.unknown_kind",
      say(
        `The credential is from a registered issuer but is not one of the meritlog credential types.`,
        "schema.unknown_kind",
      ),
    );
  // Our 1.1-form credentials are the same credential in another encoding: check the 2.0 reading.
  const res = credentialSchema.safeParse(form === "vc1.1" ? vc2View(credential) : credential);
  if (!res.success) {
    const first = res.error.issues[0];
    const path = first ? first.path.map(String).join(".") : "";
    return check(
      false,
      "schema.invalid",
      path
        ? say(
            `The ${kind} does not conform to its type (at ${path}: ${first?.message ?? ""}).`,
            "schema.invalid.at",
            { kind, path, detail: first?.message ?? "" },
          )
        : say(`The ${kind} does not conform to its type.`, "schema.invalid", { kind }),
      { kind, path },
    );
  }
  if (kind === "MPUAuthorship") {
    // Authorship is claimed for the subject: a subject who is not among the MPU's authors makes
    // the credential claim something the MPU does not say (DOMAIN.md "Micro-Production Units";
    // issue 11: offers once bound holders who were not authors). Such a credential is invalid.
    const subject = (
      res.data as unknown as { credentialSubject: { id?: unknown; mpu?: { authors?: unknown } } }
    ).credentialSubject;
    const authors = asArray(subject.mpu?.authors)
      .filter(isObject)
      .map((a) => a.id);
    if (!authors.includes(subject.id)) {
      return check(
        false,
        "schema.subject_not_author",
        say(
          `This MPU authorship credential names a holder who is not one of the MPU's authors, so it does not record that person's authorship.`,
          "schema.subject_not_author",
        ),
        {
          kind,
          path: "credentialSubject.id",
        },
      );
    }
  }
  const out: Check & { parsed?: Credential } = check(
    true,
    "schema.valid",
    say(`A well-formed ${kind} credential.`, "schema.valid", { kind }),
    {
      kind,
    },
  );
  // Kept off the JSON report (non-enumerable) and handed to checkScope, so the schema runs once.
  Object.defineProperty(out, "parsed", { value: res.data, enumerable: false });
  return out;
}

/**
 * An Open Badges 3.0 EndorsementCredential (OB 3.0 §B.1.8, issue 14): its subject is an
 * EndorsementSubject (§B.1.9) with an `id` and, from meritlog, an `endorsementComment`.
 */
function checkEndorsementShape(credential: Record<string, unknown>): Check {
  const s = credential.credentialSubject;
  const ok =
    isObject(s) &&
    typeof s.id === "string" &&
    asArray(s.type).includes("EndorsementSubject") &&
    typeof s.endorsementComment === "string" &&
    typeof credential.name === "string";
  return ok
    ? check(true, "schema.valid", say(`A well-formed EndorsementCredential.`, "schema.valid.endorsement"), {
        kind: "EndorsementCredential",
      })
    : check(
        false,
        "schema.invalid",
        say(
          `The EndorsementCredential does not conform to its type (an EndorsementSubject with an id and an endorsementComment, and a name).`,
          "schema.invalid.endorsement",
        ),
        {
          kind: "EndorsementCredential",
          path: "credentialSubject",
        },
      );
}

/** What an endorsement covers (OB 3.0 §B.1.9): its endorser's comment about its subject, nothing more. */
function endorsementScope(credential: Record<string, unknown>): Check {
  const s = isObject(credential.credentialSubject) ? credential.credentialSubject : {};
  const about = typeof s.id === "string" ? s.id.slice(0, 200) : "its subject";
  const covers = [`the endorser's comment about ${about}`];
  const excludes = ["any certification, approval or change to what the endorsed record means"];
  return check(
    true,
    "scope.stated",
    say(`Covers: ${covers.join("; ")}. Does not cover: ${excludes.join("; ")}.`, "scope.stated", {
      covers: covers.join("; "),
      excludes: excludes.join("; "),
    }),
    {
      title: typeof credential.name === "string" ? credential.name : undefined,
      ...(typeof s.endorsementComment === "string" ? { comment: s.endorsementComment.slice(0, 4000) } : {}),
      covers,
      excludes,
    },
  );
}

/**
 * The no-conversion check (DOMAIN.md "The no-conversion rule"): our credentials must carry the
 * published notice word for word; on a foreign credential its absence is a warning that says so.
 * The notice is returned verbatim for display.
 */
export function checkNoConversion(credential: Record<string, unknown>, ours: boolean): Check {
  const found = findNoConversionNotice(credential.termsOfUse);
  if (!found) {
    if (ours)
      return check(
        false,
        "noConversion.missing",
        say(
          `The no-conversion notice is missing from this meritlog credential; it has been altered or was not issued by meritlog rules.`,
          "noConversion.missing",
        ),
      );
    return check(
      "unknown",
      "noConversion.absent",
      say(
        `This credential carries no no-conversion notice. It comes from another issuer; nothing in it states what it does not mean, so do not read it as a certification, licence, approval or entitlement.`,
        "noConversion.absent",
      ),
      {
        warning: true,
        expected: NO_CONVERSION.text,
      },
    );
  }
  const text = typeof found.text === "string" ? found.text : "";
  if (!isNoConversionNotice(found)) {
    return check(
      false,
      "noConversion.altered",
      say(
        `The no-conversion notice in this credential is not the published wording; it has been altered.`,
        "noConversion.altered",
      ),
      { notice: text },
    );
  }
  return check(
    true,
    "noConversion.present",
    say(`The no-conversion notice is present, word for word as published.`, "noConversion.present"),
    {
      notice: text,
      version: found.version,
      id: found.id,
    },
  );
}

function evidenceOf(c: Record<string, unknown>): { id?: string; name?: string; digest?: string }[] {
  return asArray(c.evidence)
    .filter(isObject)
    .slice(0, 50)
    .map((e) => {
      const out: { id?: string; name?: string; digest?: string } = {};
      if (typeof e.id === "string") out.id = e.id;
      if (typeof e.name === "string") out.name = e.name;
      const d = e.digestSRI ?? e.digestMultibase;
      if (typeof d === "string") out.digest = d;
      return out;
    });
}

/** The scope check: what the credential says it covers and excludes, and its other limits. */
export function checkScope(credential: Record<string, unknown>, ours: boolean, parsed?: Credential): Check {
  if (asArray(credential.type).includes("EndorsementCredential")) return endorsementScope(credential);
  let summary: Record<string, unknown> | undefined;
  if (ours && parsed) {
    try {
      const full = describeCredential(parsed) as unknown as Record<string, unknown>;
      // notice and status are shown by the noConversion and status checks; not repeated here.
      // (Copied member by member: a spread followed by deletes leaves a slow dictionary object.)
      summary = {};
      for (const k of Object.keys(full)) if (k !== "notice" && k !== "status") summary[k] = full[k];
    } catch {
      summary = undefined;
    }
  }
  if (!summary) {
    // Foreign (or unparseable) credential: what Open Badges 3.0 lets an issuer state.
    const subject = isObject(credential.credentialSubject)
      ? credential.credentialSubject
      : asArray(credential.credentialSubject).find(isObject);
    const ach = subject && isObject(subject.achievement) ? subject.achievement : undefined;
    const criteria = ach && isObject(ach.criteria) ? ach.criteria : undefined;
    summary = {
      title:
        typeof ach?.name === "string"
          ? ach.name
          : typeof credential.name === "string"
            ? credential.name
            : undefined,
      description: typeof ach?.description === "string" ? ach.description : undefined,
      criteria: typeof criteria?.narrative === "string" ? criteria.narrative : undefined,
      covers: [],
      excludes: [],
      evidence: evidenceOf(credential),
    };
  }
  const covers = strings(summary.covers);
  const excludes = strings(summary.excludes);
  // { ...summary, covers, excludes } without its undefined members, built without spread and delete.
  const details: Record<string, unknown> = {};
  for (const k of Object.keys(summary)) {
    const v = k === "covers" ? covers : k === "excludes" ? excludes : summary[k];
    if (v !== undefined) details[k] = v;
  }
  if (!Object.prototype.hasOwnProperty.call(summary, "covers")) details.covers = covers;
  if (!Object.prototype.hasOwnProperty.call(summary, "excludes")) details.excludes = excludes;
  if (covers.length === 0 && !ours) {
    return check(
      "unknown",
      "scope.not_stated",
      say(
        `The credential does not state its scope (what it covers and does not cover); read it only for what its title and criteria say.`,
        "scope.not_stated",
      ),
      details,
    );
  }
  if (covers.length === 0)
    return check(
      false,
      "scope.missing",
      say(`This meritlog credential does not state what it covers.`, "scope.missing"),
      details,
    );
  return check(
    true,
    "scope.stated",
    excludes.length
      ? say(`Covers: ${covers.join("; ")}. Does not cover: ${excludes.join("; ")}.`, "scope.stated", {
          covers: covers.join("; "),
          excludes: excludes.join("; "),
        })
      : say(`Covers: ${covers.join("; ")}.`, "scope.stated.covers", { covers: covers.join("; ") }),
    details,
  );
}
