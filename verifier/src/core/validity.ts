// Validity window (VC Data Model 2.0 §4.9 validFrom/validUntil; RFC 7519 §4.1.4–4.1.5 exp/nbf),
// checked on the caller's clock with the stated skew, both reported.
import type { Check } from "./report.js";
import { check } from "./report.js";

function fmt(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** Checks a validity window [notBefore, notAfter] against `now` ± skew. */
export function checkValidity(notBefore: number | undefined, notAfter: number | undefined, now: Date, skewSeconds: number, what = "credential"): Check {
  const t = now.getTime();
  const skew = skewSeconds * 1000;
  const details: Record<string, unknown> = { checkedAt: now.toISOString(), skewSeconds };
  if (notBefore !== undefined) details.validFrom = fmt(notBefore);
  if (notAfter !== undefined) details.validUntil = fmt(notAfter);
  if (notBefore !== undefined && t + skew < notBefore) {
    return check(false, "validity.not_yet_valid", `The ${what} is not valid before ${fmt(notBefore)} (checked at ${now.toISOString()}, allowing ${skewSeconds} s clock skew).`, details);
  }
  if (notAfter !== undefined && t - skew >= notAfter) {
    return check(false, "validity.expired", `The ${what} expired on ${fmt(notAfter)} (checked at ${now.toISOString()}, allowing ${skewSeconds} s clock skew).`, details);
  }
  if (notAfter === undefined) {
    return check(true, "validity.no_expiry", `The ${what} is within its validity period${notBefore !== undefined ? ` (valid from ${fmt(notBefore)})` : ""} and has no end date.`, details);
  }
  return check(true, "validity.current", `The ${what} is within its validity period${notBefore !== undefined ? ` (from ${fmt(notBefore)})` : ""} until ${fmt(notAfter)}.`, details);
}
