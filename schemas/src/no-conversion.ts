/**
 * The no-conversion notice (DOMAIN.md "The no-conversion rule"; issue 3): carried, signed, in the
 * `termsOfUse` of every credential (VC Data Model 2.0 §5.7 Terms of Use) and shown verbatim by
 * the verifier and the wallet. The text is fixed per version: a new wording is a new version, and
 * every published version stays in `NO_CONVERSION_NOTICES` so old credentials still verify.
 */

export interface NoConversionNotice {
  type: "NoConversionNotice";
  version: string;
  id: string;
  text: string;
}

const TEXT_V1 =
  "This credential is a record of learning or contribution, kept for provenance only. " +
  "It does not create, and must not be read as, any certification, accreditation, licence, degree, " +
  "employment, compensation or payment entitlement, procurement or supplier status, financeability, " +
  "insurability or investment readiness, government or public authority approval, safety or " +
  "environmental approval, community or Indigenous consent, deployment authorization or execution authority. " +
  "It cannot be sold, traded, transferred or redeemed. It means only what its scope, evidence and " +
  "review level state, and only while its recorded status is active.";

/** Every published notice, by version. Never edit a published text; add a version. */
export const NO_CONVERSION_NOTICES: Readonly<Record<string, NoConversionNotice>> = Object.freeze({
  "1": Object.freeze({
    type: "NoConversionNotice",
    version: "1",
    id: "https://w3id.org/meritlog/notices/no-conversion/v1",
    text: TEXT_V1,
  }),
});

/** The current notice, placed in `termsOfUse` of every new credential. */
export const NO_CONVERSION: NoConversionNotice = NO_CONVERSION_NOTICES["1"]!;

/**
 * True when `value` is a published no-conversion notice, word for word (type, version, id and text
 * all equal to a published version). The verifier's `noConversion` check uses this.
 */
export function isNoConversionNotice(value: unknown): value is NoConversionNotice {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.type !== "NoConversionNotice" || typeof v.version !== "string") return false;
  const known = Object.hasOwn(NO_CONVERSION_NOTICES, v.version)
    ? NO_CONVERSION_NOTICES[v.version]
    : undefined;
  return known !== undefined && v.id === known.id && v.text === known.text;
}

/** Finds the no-conversion notice in a credential's `termsOfUse` (object or array), if any. */
export function findNoConversionNotice(termsOfUse: unknown): Record<string, unknown> | undefined {
  const list = Array.isArray(termsOfUse) ? termsOfUse : termsOfUse === undefined ? [] : [termsOfUse];
  for (const t of list) {
    if (typeof t === "object" && t !== null && (t as { type?: unknown }).type === "NoConversionNotice")
      return t as Record<string, unknown>;
  }
  return undefined;
}
