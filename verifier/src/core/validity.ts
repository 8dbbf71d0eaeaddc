// Validity window (VC Data Model 2.0 §4.9 validFrom/validUntil; RFC 7519 §4.1.4–4.1.5 exp/nbf),
// checked on the caller's clock with the stated skew, both reported.
import type { Check } from "./report.js";
import { check } from "./report.js";
import { say } from "./report-messages.js";

function fmt(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/**
 * Checks a validity window [notBefore, notAfter] against `now` ± skew.
 * `formatted` may carry the two bounds already formatted as by `fmt` (normalizeCredential has them).
 */
export function checkValidity(
  notBefore: number | undefined,
  notAfter: number | undefined,
  now: Date,
  skewSeconds: number,
  what = "credential",
  formatted?: { from: string | undefined; until: string | undefined },
): Check {
  const t = now.getTime();
  const skew = skewSeconds * 1000;
  // Each date formatted once (a Date and toISOString per use cost more than the check itself).
  const nowIso = now.toISOString();
  const from = notBefore !== undefined ? (formatted?.from ?? fmt(notBefore)) : undefined;
  const until = notAfter !== undefined ? (formatted?.until ?? fmt(notAfter)) : undefined;
  const details: Record<string, unknown> = { checkedAt: nowIso, skewSeconds };
  if (from !== undefined) details.validFrom = from;
  if (until !== undefined) details.validUntil = until;
  if (notBefore !== undefined && t + skew < notBefore) {
    return check(
      false,
      "validity.not_yet_valid",
      say(
        `The ${what} is not valid before ${from!} (checked at ${nowIso}, allowing ${skewSeconds} s clock skew).`,
        "validity.not_yet_valid",
        { what, from: from!, now: nowIso, skew: skewSeconds },
      ),
      details,
    );
  }
  if (notAfter !== undefined && t - skew >= notAfter) {
    return check(
      false,
      "validity.expired",
      say(
        `The ${what} expired on ${until!} (checked at ${nowIso}, allowing ${skewSeconds} s clock skew).`,
        "validity.expired",
        { what, until: until!, now: nowIso, skew: skewSeconds },
      ),
      details,
    );
  }
  if (notAfter === undefined) {
    return check(
      true,
      "validity.no_expiry",
      from !== undefined
        ? say(
            `The ${what} is within its validity period (valid from ${from}) and has no end date.`,
            "validity.no_expiry.from",
            { what, from },
          )
        : say(`The ${what} is within its validity period and has no end date.`, "validity.no_expiry", {
            what,
          }),
      details,
    );
  }
  return check(
    true,
    "validity.current",
    from !== undefined
      ? say(
          `The ${what} is within its validity period (from ${from}) until ${until!}.`,
          "validity.current.from",
          { what, from, until: until! },
        )
      : say(`The ${what} is within its validity period until ${until!}.`, "validity.current", {
          what,
          until: until!,
        }),
    details,
  );
}
