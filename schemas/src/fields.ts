/**
 * Field schemas shared by the three credential types: bounded strings, DIDs, URIs, SRI digests,
 * timestamps. Every string has a maximum length and every array a maximum size (issue 3,
 * "Bad input and security").
 */
import { z } from "zod";

// C0/C1 controls (except tab, line feed and carriage return: browsers submit textarea text with
// CRLF) and bidirectional overrides/isolates: they can make a name display differently from what
// was signed (Unicode TR #36 §2.4 "Bidirectional text spoofing").
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/u;
// Characters that show nothing: a name made only of them is blank.
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\u180E\u3164\u115F\u1160\uFFA0]/gu;
// Lone surrogates cannot be encoded as UTF-8 and are not I-JSON (RFC 7493 §2.1), so a signed
// credential could not carry them.
const LONE_SURROGATE = /\p{Surrogate}/u;

/** A non-blank, length-bounded display string without control or bidi-override characters. */
export function text(max: number) {
  return z
    .string()
    .min(1, "must not be empty")
    .max(max, `at most ${max} characters`)
    .refine((s) => s.replace(INVISIBLE, "").trim().length > 0, "must not be empty or blank")
    .refine(
      (s) => !UNSAFE_CHARS.test(s) && !LONE_SURROGATE.test(s),
      "contains control, bidi-override or unpaired surrogate characters",
    );
}

/** Length limits in one place, so the JSON Schema and the docs agree. */
export const LIMITS = {
  name: 200,
  role: 120,
  description: 2000,
  narrative: 4000,
  item: 300,
  items: 20,
  evidence: 50,
  authors: 100,
  uri: 2048,
  licenseText: 20_000,
} as const;

// DID Core §3.1 DID syntax: did:<method>:<method-specific-id>.
const DID =
  /^did:[a-z0-9]+:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*(?::(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*)*[A-Za-z0-9._-]$/;
// did:key (W3C CCG did:key §3.1): multibase base58btc (`z`) of the multicodec-prefixed key.
const DID_KEY = /^did:key:z[1-9A-HJ-NP-Za-km-z]{40,120}$/;

/** A DID (DID Core §3.1); a `did:key` must be base58btc multibase. */
export const did = z
  .string()
  .max(LIMITS.uri)
  .regex(DID, "must be a DID (did:<method>:<id>)")
  .refine(
    (s) => !s.startsWith("did:key:") || DID_KEY.test(s),
    "did:key must be a base58btc multibase key (did:key:z…)",
  )
  .describe("A DID (DID Core §3.1), e.g. did:key:z6Mk… or did:web:example.org");

// RFC 3986 §3.1 scheme, then no whitespace. Schemes that run code or inline content in a wallet
// or verify page (javascript:, data:, vbscript:, file:) are refused: these ids are rendered as links.
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;
const UNSAFE_SCHEME = /^(?:javascript|data|vbscript|file|blob):/i;

/** An absolute URI (RFC 3986), e.g. https://…, urn:uuid:…, ipfs://…; never javascript:/data:. */
export const uri = z
  .string()
  .max(LIMITS.uri)
  .regex(URI, "must be an absolute URI")
  .refine((s) => !UNSAFE_SCHEME.test(s), "URI scheme not allowed")
  .describe("An absolute URI (RFC 3986): https://…, urn:uuid:…, ipfs://…; never javascript: or data:");

/** An http(s) URL. */
export const httpUrl = uri.refine((s) => /^https?:\/\/[^/]/i.test(s), "must be an http(s) URL");

/** A `urn:uuid:` identifier (RFC 9562 §4 textual form, lowercase). */
export const urnUuid = z
  .string()
  .regex(
    /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    "must be a urn:uuid: (lowercase)",
  );

/**
 * A Subresource Integrity string for SHA-256 (W3C SRI §3.5, VC Data Model 2.0 §5.3 `digestSRI`):
 * `sha256-` + the standard base64 of 32 bytes (43 characters and one `=`).
 */
export const digestSRI = z
  .string()
  .regex(
    /^sha256-[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/,
    "must be sha256-<base64 of a 32-byte SHA-256 digest>",
  )
  .describe(
    "SHA-256 of the resource as a Subresource Integrity string: sha256-<base64> (VC Data Model 2.0 §5.3)",
  );

/** Lowercase hex SHA-256 (64 characters), the digest form of log entries. */
export const hexSha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex characters (SHA-256)");

/** An XML Schema dateTimeStamp (VC Data Model 2.0 §4.9): date, time and a time-zone offset. */
export const dateTime = z.iso.datetime({
  offset: true,
  message: "must be an ISO 8601 date-time with a time zone (e.g. 2028-01-01T00:00:00Z)",
});

// Personal data that must never reach the public log (docs/ARCHITECTURE.md "Non-goals": no PII in the log;
// issue 3: the log never receives the holder's DID): email addresses, phone numbers, DIDs.
// Each pattern starts with a fixed short prefix and scans forward only, so a search is linear in
// the text (no nested quantifiers; checked with 100,000-character inputs in the tests).
const EMAIL = /[^\s@]@[^\s@]*\.[^\s@]/u;
const PHONE = /\+?\d(?:[\s().-]*\d){6,}/u;
const DID_IN_TEXT = /\bdid:[a-z0-9]+:/iu;

/** A bounded short note without email addresses, phone numbers or DIDs, so it could be published without exposing anyone. */
export function publicNote(max: number) {
  return text(max).refine(
    // Too long is already an issue of `text`: do not scan an oversized string at all.
    (s) => s.length > max || (!EMAIL.test(s) && !PHONE.test(s) && !DID_IN_TEXT.test(s)),
    "notes must not carry personal data: no email addresses, phone numbers or DIDs",
  );
}

/** A list of bounded display strings, at least one. */
export function textList(maxItems: number = LIMITS.items, maxLen: number = LIMITS.item) {
  return z
    .array(text(maxLen))
    .min(1, "must list at least one item")
    .max(maxItems, `at most ${maxItems} items`);
}

// Open Badges 3.0 AchievementSubject `activityStartDate` / `activityEndDate`: when the learning
// itself happened. The credential's own validFrom cannot be backdated (claims.backdated).
const activityDatesShape = {
  activityStartDate: dateTime.optional().describe("When the learning or activity began (Open Badges 3.0)"),
  activityEndDate: dateTime.optional().describe("When the learning or activity ended (Open Badges 3.0)"),
} as const;

const activityWindowOk = (s: { activityStartDate?: string; activityEndDate?: string }): boolean =>
  s.activityStartDate === undefined ||
  s.activityEndDate === undefined ||
  Date.parse(s.activityEndDate) >= Date.parse(s.activityStartDate);
const activityWindowIssue = {
  path: ["activityEndDate"],
  message: "activityEndDate must not be before activityStartDate",
};

/** The holder of a credential: only the DID (data minimisation, DOMAIN.md; issue 3 "No PII"). */
export const subjectSchema = z
  .strictObject({ id: did, ...activityDatesShape })
  .refine(activityWindowOk, activityWindowIssue)
  .describe(
    "The holder, by DID only (no name, email or other personal data), with the dates of the learning",
  );

/**
 * The subject part of a wallet offer: only the dates of the learning, never an `id` (the
 * redeeming wallet's DID becomes `subject.id`, schemas issue-request.ts `offerToIssueRequest`).
 */
export const offerSubjectSchema = z
  .strictObject(activityDatesShape)
  .refine(activityWindowOk, activityWindowIssue)
  .describe("The dates of the learning (Open Badges 3.0); the holder's DID is bound at redemption")
  .optional();

/** An evidence link with its SHA-256 digest (Open Badges 3.0 Evidence + VC 2.0 §5.3 digestSRI). */
export const evidenceItemSchema = z
  .strictObject({
    id: uri,
    digestSRI,
    name: text(LIMITS.name).optional(),
    description: text(LIMITS.description).optional(),
  })
  .describe("A link to evidence with its SHA-256 digest");

/** Explicit scope: what the record covers and what it explicitly does not (DOMAIN.md "Micro-credentials"). */
export const scopeSchema = z
  .strictObject({
    covers: textList().describe("What the record covers"),
    excludes: textList().describe("What it explicitly does not cover (e.g. regulated work, safety approval)"),
  })
  .describe("Explicit scope, shown on every display");

/** Validity window fields common to every request (VC Data Model 2.0 §4.9). */
export const validityShape = {
  validFrom: dateTime.optional().describe("Start of validity; defaults to the issuance time"),
  validUntil: dateTime
    .optional()
    .describe("End of validity, where relevance depends on current practice; renewal needs fresh evidence"),
};
