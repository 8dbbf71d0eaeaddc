// The two VC-JWT forms we accept and how their JWT claims must agree with the credential.
// - VC Data Model 2.0 / Open Badges 3.0 §8.2: the payload *is* the credential, plus iss, sub,
//   jti, nbf, exp (OB3 §8.2.4 "Verify a JWT": each claim must represent the credential's own
//   issuer.id, credentialSubject.id, id, validFrom, validUntil).
// - VC Data Model 1.1 §6.3.1 (did-jwt-vc, Veramo): the credential sits in the `vc` claim and the
//   JWT claims stand in for issuer, credentialSubject.id, id, issuanceDate, expirationDate.
import type { JsonObject } from "./jose.js";

export type CredentialForm = "vc2" | "vc1.1";

export interface NormalizedCredential {
  form: CredentialForm;
  /** The credential as a reader sees it (JWT claims applied for the 1.1 form). */
  credential: JsonObject;
  iss: unknown;
  issuerId: string | undefined;
  subjectId: string | undefined;
  id: string | undefined;
  /** Effective window in ms since the epoch (the stricter of JWT claims and credential). */
  notBefore: number | undefined;
  notAfter: number | undefined;
  validFrom: string | undefined;
  validUntil: string | undefined;
  /** Disagreements between JWT claims and the credential. */
  mismatches: { field: string; message: string }[];
}

const JWT_CLAIMS = new Set(["iss", "sub", "jti", "nbf", "exp", "iat", "aud", "nonce"]);

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function issuerIdOf(issuer: unknown): string | undefined {
  if (typeof issuer === "string") return issuer;
  if (isObject(issuer) && typeof issuer.id === "string") return issuer.id;
  return undefined;
}

function firstSubject(cs: unknown): JsonObject | undefined {
  if (Array.isArray(cs)) return isObject(cs[0]) ? cs[0] : undefined;
  return isObject(cs) ? cs : undefined;
}

/** ms since the epoch of an XML Schema dateTime, or undefined if it is not one. */
export function parseDate(v: unknown): number | undefined {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v))
    return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * ms since the epoch of a JWT NumericDate (RFC 7519 §2), or undefined if it is not a number a
 * Date can hold (ECMAScript dates span ±8.64e15 ms).
 */
export function numericDate(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= 8.64e12 ? v * 1000 : undefined;
}

/** Splits a VC-JWT payload into the credential and checks that its JWT claims agree with it. */
export function normalizeCredential(payload: JsonObject): NormalizedCredential | undefined {
  const mismatches: NormalizedCredential["mismatches"] = [];
  let form: CredentialForm;
  let credential: JsonObject;
  if (payload.vc !== undefined) {
    if (!isObject(payload.vc)) return undefined;
    form = "vc1.1";
    credential = { ...payload.vc };
    // VC 1.1 §6.3.1 decoding: claims fill in what the vc object leaves out.
    if (credential.issuer === undefined && typeof payload.iss === "string") credential.issuer = payload.iss;
    if (credential.id === undefined && typeof payload.jti === "string") credential.id = payload.jti;
    const subj = firstSubject(credential.credentialSubject);
    if (subj && subj.id === undefined && typeof payload.sub === "string") {
      credential.credentialSubject = Array.isArray(credential.credentialSubject)
        ? [{ ...subj, id: payload.sub }, ...(credential.credentialSubject as unknown[]).slice(1)]
        : { ...subj, id: payload.sub };
    }
    const nbfMs = numericDate(payload.nbf);
    const expMs = numericDate(payload.exp);
    if (credential.issuanceDate === undefined && nbfMs !== undefined) credential.issuanceDate = iso(nbfMs);
    if (credential.expirationDate === undefined && expMs !== undefined)
      credential.expirationDate = iso(expMs);
  } else {
    form = "vc2";
    credential = {};
    for (const [k, v] of Object.entries(payload)) if (!JWT_CLAIMS.has(k)) credential[k] = v;
  }
  const issuerId = issuerIdOf(credential.issuer);
  const subjectId = firstSubject(credential.credentialSubject)?.id;
  const id = typeof credential.id === "string" ? credential.id : undefined;
  if (payload.iss !== undefined && issuerId !== undefined && payload.iss !== issuerId) {
    mismatches.push({
      field: "iss",
      message: `"iss" (${String(payload.iss).slice(0, 100)}) is not the credential's issuer (${issuerId.slice(0, 100)}).`,
    });
  }
  if (payload.sub !== undefined && subjectId !== undefined && payload.sub !== subjectId) {
    mismatches.push({ field: "sub", message: `"sub" is not the credential's subject id.` });
  }
  if (payload.jti !== undefined && id !== undefined && payload.jti !== id) {
    mismatches.push({ field: "jti", message: `"jti" is not the credential's id.` });
  }
  const vfRaw = form === "vc2" ? credential.validFrom : (credential.validFrom ?? credential.issuanceDate);
  const vuRaw = form === "vc2" ? credential.validUntil : (credential.validUntil ?? credential.expirationDate);
  const vf = parseDate(vfRaw);
  const vu = parseDate(vuRaw);
  if (vfRaw !== undefined && vf === undefined)
    mismatches.push({ field: "validFrom", message: "The credential's start date is not a valid date-time." });
  if (vuRaw !== undefined && vu === undefined)
    mismatches.push({ field: "validUntil", message: "The credential's end date is not a valid date-time." });
  const nbf = numericDate(payload.nbf);
  const exp = numericDate(payload.exp);
  if (payload.nbf !== undefined && nbf === undefined)
    mismatches.push({ field: "nbf", message: `"nbf" is not a number of seconds.` });
  if (payload.exp !== undefined && exp === undefined)
    mismatches.push({ field: "exp", message: `"exp" is not a number of seconds.` });
  // Compare at second precision: NumericDate is in seconds (RFC 7519 §2).
  if (nbf !== undefined && vf !== undefined && Math.floor(nbf / 1000) !== Math.floor(vf / 1000)) {
    mismatches.push({ field: "nbf", message: `"nbf" does not match the credential's start date.` });
  }
  if (exp !== undefined && vu !== undefined && Math.floor(exp / 1000) !== Math.floor(vu / 1000)) {
    mismatches.push({ field: "exp", message: `"exp" does not match the credential's end date.` });
  }
  const notBefore = maxDefined(nbf, vf);
  const notAfter = minDefined(exp, vu);
  return {
    form,
    credential,
    iss: payload.iss,
    issuerId,
    subjectId: typeof subjectId === "string" ? subjectId : undefined,
    id,
    notBefore,
    notAfter,
    validFrom: notBefore === undefined ? undefined : iso(notBefore),
    validUntil: notAfter === undefined ? undefined : iso(notAfter),
    mismatches,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}
function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}
function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

const VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1";
const VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2";

/**
 * The VC Data Model 2.0 reading of a credential carried in the 1.1 form (the inverse of the
 * issuer's 1.1 encoding, VC 1.1 §6.3.1): 2.0 base context, validFrom/validUntil from
 * issuanceDate/expirationDate (themselves from nbf/exp), and the issuer as a Profile. Used to
 * check a meritlog credential's schema whichever form it came in.
 */
export function vc2View(c: JsonObject): JsonObject {
  const { issuanceDate, expirationDate, ...rest } = c;
  const ctx = Array.isArray(c["@context"]) ? c["@context"] : [c["@context"]];
  const view: JsonObject = {
    ...rest,
    "@context": [VC2_CONTEXT, ...ctx.filter((x) => x !== VC1_CONTEXT && x !== VC2_CONTEXT)],
  };
  if (view.validFrom === undefined && issuanceDate !== undefined) view.validFrom = issuanceDate;
  if (view.validUntil === undefined && expirationDate !== undefined) view.validUntil = expirationDate;
  if (typeof c.issuer === "string") view.issuer = { id: c.issuer, type: ["Profile"] };
  return view;
}
