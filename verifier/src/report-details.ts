// The lower-level details a report sentence quotes (its `{detail}` or `{why}`), each under a stable
// code with named parameters, so a page can say them in the reader's language too (issue 12 "Two
// languages"). The verifier's core makes these details as English text deep down (core's JOSE
// header rules, DID resolution, status lists, receipts, schemas, the VC Data Model rules, SD-JWT,
// co-signatures) and is bundled into the wallet, which is at its size budget; so the core keeps
// its English and the server codes each detail here, against this closed table of the English
// it makes, before it answers (routes.ts). A report's English never changes: `sentences[i].details`
// is additive, and said in English from these templates each detail is exactly the text it codes
// (verifier/test/report-details.test.ts checks that over every corrupted input of the tests).
//
// Parameters are values (algorithms, URLs, DIDs, JSON paths, counts, issuer wording), never
// English prose, except `detail`, `why`, `first` and `rest`, which are details themselves (coded
// in turn). The /verify catalogue has every code as `report.<code>` in English and French.
import type { Check, Detail, Sentence, VerificationReport } from "./core/index.js";
import { REPORT_SENTENCES } from "./report-sentences.js";

/** English templates of the details; `{name}` is a parameter. */
export const REPORT_DETAILS = {
  // @meritlog/core jws.ts: decoding a compact JWS (token.unreadable).
  "detail.jws.not_string": "The token is not a string.",
  "detail.jws.too_large": "The token is longer than {max} characters.",
  "detail.jws.segments":
    "The token does not have exactly three dot-separated parts (header.payload.signature).",
  "detail.jws.header_base64": "The token header is not valid base64url.",
  "detail.jws.payload_base64": "The token payload is not valid base64url.",
  "detail.jws.signature_base64": "The token signature is not valid base64url.",
  "detail.jws.header_json": "The token header is not a UTF-8 JSON object.",
  "detail.jws.payload_json": "The token payload is not valid UTF-8 JSON.",
  "detail.jws.payload_object": "The token payload is not a JSON object.",
  "detail.jws.unreadable": "The token could not be read.",
  // @meritlog/core jws.ts checkJwsHeader (signature.header).
  "detail.header.alg_not_allowed": 'The token uses algorithm "{alg}"; only {allowed} are accepted.',
  "detail.header.alg_not_allowed.one": 'The token uses algorithm "{alg}"; only {allowed} is accepted.',
  "detail.header.member": 'The token header has a member "{member}" that is not allowed (only {allowed}).',
  "detail.header.typ": 'The token header "typ" must be "{typ}" or "{typ2}" when present.',
  "detail.header.typ.one": 'The token header "typ" must be "{typ}" when present.',
  "detail.header.typ.required": 'The token header "typ" must be "{typ}".',
  "detail.header.cty": 'The token header "cty" must be "{cty}" when present.',
  "detail.header.kid": 'The token header "kid" is not a string.',
  "detail.header.jwk":
    'The token header "jwk" is not a public key of a supported type (Ed25519, P-256, P-384, RSA ≥ {bits} bits).',
  // did-resolver.ts resolveDid / resolveHttpsKid (signature.key_unavailable).
  "detail.did.not_a_did": "The issuer is not identified by a DID.",
  "detail.did.invalid": "The did:key is invalid.",
  "detail.did.not_did_key": "Not a did:key identifier.",
  "detail.did.multibase": 'A did:key must use multibase base58btc ("z").',
  "detail.did.base58": "The did:key is not valid base58btc.",
  "detail.did.ed25519_length": "A {type} did:key carries a 32-byte key.",
  "detail.did.p256_length": "A {type} did:key carries a 33-byte compressed point.",
  "detail.did.key_type":
    "Only Ed25519 (multicodec 0xed01) and P-256 (0x1200) did:key identifiers are supported.",
  "detail.did.jwk_invalid":
    "The did:jwk does not encode a public key of a supported type (Ed25519, P-256, P-384, RSA ≥ {bits} bits).",
  "detail.did.web_malformed": "The did:web identifier is malformed.",
  "detail.did.web_not_fetched":
    "The issuer uses did:web; resolving it needs a network fetch of {url}, which is not enabled here.",
  "detail.did.web_fetch_failed": "The issuer's DID document at {url} could not be fetched ({why}).",
  "detail.did.web_other_did": "The DID document at {url} is not a document for {did}.",
  "detail.did.method": 'DID method "{method}" is not supported (did:key, did:jwk and did:web are).',
  "detail.kid.not_url": "The key id is not a URL.",
  "detail.kid.other_origin": 'The key id "{kid}" is not on the issuer\'s own https origin ({issuer}).',
  "detail.kid.not_fetched": "The issuer's key is published at {url}; fetching it is not enabled here.",
  "detail.kid.fetch_failed": "The issuer's key at {url} could not be fetched ({why}).",
  // did-resolver.ts selectKey (signature.key_not_selected).
  "detail.kid.not_in_set": 'The key id "{kid}" names no key of the published key set.',
  "detail.kid.other_signer": 'The key id "{kid}" does not belong to the signer {did}.',
  "detail.kid.not_a_method": 'The key id "{kid}" is not a verification method of {did}.',
  "detail.key.unsupported":
    "The signer's DID has no key of a supported type (Ed25519, P-256, P-384, RSA ≥ {bits} bits).",
  "detail.key.ambiguous": "The signer's DID has several keys and the token does not say which one (kid).",
  "detail.key.none": "The signer's DID has no usable key.",
  "detail.key.embedded": "The key embedded in the token header is not the signer's DID key.",
  // guarded-fetch.ts and the fetchers: why a fetch failed (nested in "could not be fetched (…)").
  "detail.fetch.http": "HTTP {status}",
  "detail.fetch.timeout": "no answer within {ms} ms",
  "detail.fetch.timed_out.status": "status list fetch timed out after {ms} ms",
  "detail.fetch.timed_out.checkpoint": "checkpoint fetch timed out after {ms} ms",
  "detail.fetch.timed_out.did_web": "did:web fetch timed out after {ms} ms",
  "detail.fetch.timed_out.jwks": "JWK Set fetch timed out after {ms} ms",
  "detail.fetch.too_large": "the answer is larger than {bytes} bytes",
  "detail.fetch.no_address": "{host} has no address",
  "detail.fetch.unresolved": "{host} could not be resolved ({why})",
  "detail.fetch.credentials": "URLs with credentials are not fetched",
  "detail.fetch.not_url": "not a URL",
  "detail.fetch.scheme": "{scheme} URLs are not fetched (https only)",
  "detail.fetch.scheme.self": "{scheme} URLs are not fetched (https only; http only to {self})",
  "detail.fetch.redirect": "redirected to {origin}; redirects to other hosts are not followed",
  "detail.fetch.did_not_json": "the DID document at {url} is not JSON",
  "detail.fetch.keys_not_json": "the key set at {url} is not JSON",
  "detail.fetch.log_untrusted": 'log "{origin}" is not trusted here; its checkpoint was not fetched',
  "detail.error": "error",
  "detail.di.invalid_signature": "Invalid signature.",
  // status-list.ts (status.failed, status.unknown).
  "detail.status.not_fetched": "The status list at {url} was not fetched: fetching is not enabled here.",
  "detail.status.fetch_failed": "The status list at {url} could not be fetched ({why}).",
  "detail.status.not_jwt": "The status list at {url} is not a readable VC-JWT ({code}).",
  "detail.status.no_issuer": "The status list at {url} does not name its issuer.",
  "detail.status.two_issuers": "The status list at {url} names two different issuers.",
  "detail.status.other_issuer":
    "The status list at {url} is issued by {listIssuer}, not by the credential's issuer {did}.",
  "detail.status.signature": "The status list's signature does not hold: {detail}",
  "detail.status.not_a_list": "The document at {url} is not a Bitstring Status List credential.",
  "detail.status.not_yet_valid": "The status list at {url} is not valid before {from}.",
  "detail.status.expired":
    "The status list at {url} expired on {until}; a current one could not be obtained.",
  "detail.status.encoded_list":
    "The status list at {url} has an encodedList that is not multibase base64url.",
  "detail.status.decompress": "The status list at {url} could not be decompressed.",
  "detail.status.unchecked": "The status list at {url} could not be checked.",
  "detail.status.entry_not_object": "A status entry is not an object.",
  "detail.status.entry_type": 'Status entries of type "{type}" are not supported.',
  "detail.status.entry_purpose": 'Status purpose "{purpose}" is not checked.',
  "detail.status.entry_url": "A status entry lacks a valid list URL or index.",
  "detail.status.entry_size": "Only one-bit revocation and suspension entries are supported.",
  "detail.status.status_size": "The status entry's statusSize is not an integer from 1 to 8.",
  "detail.status.no_message": "A message status entry names no statusMessage, so its value has no meaning.",
  "detail.status.wrong_purpose": "The list at {url} is not a {purpose} list.",
  "detail.status.too_short": "The list at {url} is shorter than the minimum 131,072 entries.",
  "detail.status.index": "Index {index} is outside the list at {url}.",
  "detail.status.unreadable_value":
    "The list at {url} gives this credential the status {value}, which this verifier cannot read as active, suspended or revoked.",
  "detail.status.unreadable_value.message":
    'The list at {url} gives this credential the status {value} ("{message}"), which this verifier cannot read as active, suspended or revoked.',
  // @meritlog/ledger verifyReceipt (anchoring.receipt_malformed.detail) and anchoring.ts.
  "detail.receipt.not_object": "receipt is not an object",
  "detail.receipt.fields": "receipt needs string origin, entry and checkpoint",
  "detail.receipt.leaf_index": "leafIndex is not a non-negative integer",
  "detail.receipt.proof_list": "inclusionProof is not a list of hashes",
  "detail.receipt.proof_hash": "inclusionProof holds a value that is not a base64 SHA-256 hash",
  "detail.anchoring.latest_unfetched": "the log's latest checkpoint could not be fetched ({why})",
  // credential-form.ts: the JWT claims against the credential (schema.claims_mismatch).
  "detail.claims.iss": '"iss" ({iss}) is not the credential\'s issuer ({issuer}).',
  "detail.claims.sub": '"sub" is not the credential\'s subject id.',
  "detail.claims.jti": '"jti" is not the credential\'s id.',
  "detail.claims.valid_from": "The credential's start date is not a valid date-time.",
  "detail.claims.valid_until": "The credential's end date is not a valid date-time.",
  "detail.claims.nbf_type": '"nbf" is not a number of seconds.',
  "detail.claims.exp_type": '"exp" is not a number of seconds.',
  "detail.claims.nbf": '"nbf" does not match the credential\'s start date.',
  "detail.claims.exp": '"exp" does not match the credential\'s end date.',
  // vc-data-model.ts and context-expansion.ts: the VC Data Model 2.0 rule broken (schema.data_model).
  "detail.vcdm.context_missing": "@context is missing (VC Data Model 2.0 §4.3)",
  "detail.vcdm.context_first": "the first @context must be {url} (§4.3)",
  "detail.vcdm.context_item": "each further @context must be a URL or an object (§4.3)",
  "detail.vcdm.id": "id must be a single URL (§4.4)",
  "detail.vcdm.type_missing": "type must be present, one or more strings (§4.5)",
  "detail.vcdm.type_required": 'type must include "{type}" (§4.5)',
  "detail.vcdm.text_value": "{name} must be a string or language value object (§4.6)",
  "detail.vcdm.issuer_missing": "issuer must be present (§4.7)",
  "detail.vcdm.issuer_id": "an issuer object must have an id that is a URL (§4.7)",
  "detail.vcdm.issuer_text_value": "the issuer's {name} must be a string or language value object (§4.6)",
  "detail.vcdm.issuer": "issuer must be a URL or an object with an id URL (§4.7)",
  "detail.vcdm.subject_missing": "credentialSubject must be present (§4.8)",
  "detail.vcdm.subject_none": "credentialSubject must hold at least one subject (§4.8)",
  "detail.vcdm.subject_object": "each credential subject must be an object (§4.8)",
  "detail.vcdm.subject_empty": "a credential subject must make at least one claim; it is empty (§4.8)",
  "detail.vcdm.subject_id": "a credential subject's id must be a URL (§4.8)",
  "detail.vcdm.date": "{name} must be an XML Schema dateTimeStamp, with a time zone (§4.9)",
  "detail.vcdm.dates_order": "validFrom must not be later than validUntil (§4.9)",
  "detail.vcdm.entries_none": "{name} must hold at least one entry",
  "detail.vcdm.entry_object": "each {name} entry must be an object",
  "detail.vcdm.entry_type": "each {name} entry must have a type",
  "detail.vcdm.entry_id": "a {name} entry's id must be a URL",
  "detail.vcdm.holder": "holder must be a URL or an object with an id URL (§4.13)",
  "detail.vcdm.vp_credential":
    "each verifiableCredential must be an object; a bare token must be wrapped as an EnvelopedVerifiableCredential (§4.13.1)",
  "detail.vcdm.enveloped_id": "an EnvelopedVerifiableCredential's id must be a data: URL (§4.13.1)",
  "detail.jsonld.protected":
    "a @context redefines a protected term (JSON-LD 1.1 §4.1.11); a JSON-LD processor must refuse it (§5.2)",
  "detail.jsonld.iri_mapping":
    "a @context maps a term to something that is not an absolute IRI, so it is not processable as a JSON-LD context (§4.3)",
  "detail.jsonld.unprocessable": "a @context is not processable as a JSON-LD context ({code}) (§4.3)",
  "detail.jsonld.undefined_type": 'type "{type}" is neither a URL nor a term its @context defines (§4.5)',
  // The credential's schema (schema.invalid.at): zod's English and the schemas' own rules.
  "detail.schema.expected": "Invalid input: expected {expected}, received {received}",
  "detail.schema.invalid": "Invalid input",
  "detail.schema.option": "Invalid option: expected one of {options}",
  "detail.schema.unrecognized_key": 'Unrecognized key: "{key}"',
  "detail.schema.unrecognized_keys": "Unrecognized keys: {keys}",
  "detail.schema.too_small.chars": "Too small: expected string to have >={min} characters",
  "detail.schema.too_big.chars": "Too big: expected string to have <={max} characters",
  "detail.schema.too_small.items": "Too small: expected array to have >={min} items",
  "detail.schema.too_big.items": "Too big: expected array to have <={max} items",
  "detail.schema.too_small.value": "Too small: expected {type} to be >={min}",
  "detail.schema.too_big.value": "Too big: expected {type} to be <={max}",
  "detail.schema.pattern": "Invalid string: must match pattern {pattern}",
  "detail.schema.url": "Invalid URL",
  "detail.schema.date_time": "must be an ISO 8601 date-time with a time zone (e.g. 2028-01-01T00:00:00Z)",
  "detail.schema.kind": "type must name exactly one of {kinds}",
  "detail.schema.activity_dates": "activityEndDate must not be before activityStartDate",
  "detail.schema.valid_until": "validUntil must be later than validFrom",
  "detail.schema.image_https": "must be an https URL or a data: image",
  "detail.schema.image_https_plain": "must be an https URL (without user or password) or a data: image",
  "detail.schema.image_base64": "the data: image is not valid base64",
  "detail.schema.image_type": "the data: image is not a {type} file",
  "detail.schema.image_size": "a data: image must be at most {max} characters (64 KB)",
  "detail.schema.max_chars": "at most {max} characters",
  // co-authorship.ts and cosign-entries.ts (coAuthorship.*).
  "detail.cosign.of": "the co-signature of {author}…: {why}",
  "detail.cosign.missing": "its signature is missing",
  "detail.cosign.unreadable": "its signature is not a readable JWS",
  "detail.cosign.header": "its signature header is not an EdDSA JWS header",
  "detail.cosign.other_key": "its signature names another key",
  "detail.cosign.author_key": "the author is not an Ed25519 did:key",
  "detail.cosign.not_ed25519": "its signature is not an Ed25519 signature",
  "detail.cosign.invalid": "its signature does not hold",
  "detail.cosign.other_statement": "it signed a different statement",
  "detail.cosign.entry": "log entry {index}: {why}",
  "detail.cosign.no_entry": "the co-signature of {author}… names no log entry",
  "detail.cosign.entry_unreadable": "log entry {index} could not be read",
  "detail.cosign.entry_other": "log entry {index} does not record the co-signature of {author}…",
  "detail.entry.receipt": "its receipt is not well-formed",
  "detail.entry.untrusted": 'the log "{origin}" is not trusted here',
  "detail.entry.proof": "its inclusion proof or checkpoint does not hold",
  "detail.entry.not_object": "the entry is not a JSON object",
  // sd-jwt.ts: the SD-JWT library's findings and the key binding's (sd_jwt.*).
  "detail.sd_jwt.signature": "Verify Error: Invalid JWT Signature",
  "detail.sd_jwt.kb_signature": "Verify Error: Invalid Key Binding Jwt Signature",
  "detail.sd_jwt.kb_nonce": "Verify Error: Invalid Key Binding Jwt",
  "detail.sd_jwt.no_kb": "no key binding",
  "detail.sd_jwt.other_verifier": "it is addressed to another verifier",
  "detail.sd_jwt.not_fresh": "it is not fresh",
  "detail.sd_jwt.nonce_replayed": "its nonce is replayed",
  "detail.sd_jwt.nonce_expired": "its nonce is expired",
  "detail.sd_jwt.nonce_unknown": "its nonce is unknown",
  "detail.list": "{first}; {rest}",
} as const;

/** The code of a detail. */
export type ReportDetailCode = keyof typeof REPORT_DETAILS;

/** Parameters that are details themselves, coded in turn. */
const NESTED = new Set(["detail", "why", "first", "rest"]);

interface Pattern {
  code: string;
  names: string[];
  /** The template's fixed texts around and between its parameters (one more than `names`). */
  fixed: string[];
  /** Characters of fixed text: the more, the more specific (it wins over a looser template). */
  weight: number;
}

function compile(code: string, template: string): Pattern {
  const parts = template.split(/\{(\w+)\}/);
  const names = parts.filter((_, i) => i % 2 === 1);
  const fixed = parts.filter((_, i) => i % 2 === 0);
  // Two parameters side by side could split their text anywhere: no template may have them.
  if (fixed.slice(1, -1).some((f) => f === "")) throw new Error(`${code}: adjacent parameters`);
  return { code, names, fixed, weight: fixed.join("").length };
}

/**
 * The parameter values of `text` under `p`, each running to the first place its following fixed
 * text occurs (as a lazy pattern would, without backtracking: one pass, linear in the text, so a
 * crafted detail costs no more than a plain one); undefined when `p` does not say `text`.
 */
function match(p: Pattern, text: string): string[] | undefined {
  const { fixed } = p;
  const head = fixed[0]!;
  const tail = fixed[fixed.length - 1]!;
  if (p.names.length === 0) return text === head ? [] : undefined;
  const end = text.length - tail.length;
  if (end < head.length || !text.startsWith(head) || !text.endsWith(tail)) return undefined;
  const values: string[] = [];
  let at = head.length;
  for (let i = 1; i < fixed.length - 1; i++) {
    const next = text.indexOf(fixed[i]!, at + 1);
    if (next < 0 || next + fixed[i]!.length > end) return undefined;
    values.push(text.slice(at, next));
    at = next + fixed[i]!.length;
  }
  if (end - at < 1) return undefined;
  values.push(text.slice(at, end));
  return values;
}

// Details, and the report sentences a detail may quote whole (a status list's signature check).
// Sentences that are nothing but their detail ("{detail}") would match anything: left out.
const PATTERNS: Pattern[] = [
  ...Object.entries(REPORT_DETAILS),
  ...Object.entries(REPORT_SENTENCES).filter(([, t]) => !/^\{\w+\}$/.test(t)),
]
  .map(([code, t]) => compile(code, t))
  .sort((a, b) => b.weight - a.weight);

/** The report sentences alone: for a check the core made without codes (below). */
const SENTENCE_PATTERNS = PATTERNS.filter((p) => p.code in REPORT_SENTENCES);

const MAX_DEPTH = 4;
const MAX_DETAIL_LENGTH = 2000;

/**
 * The code and parameters of one English detail, its own details coded in turn; undefined when
 * no template says exactly this text.
 * @example codeDetail('The token header "kid" is not a string.') // { code: "detail.header.kid" }
 */
export function codeDetail(text: string, depth = 0, patterns: Pattern[] = PATTERNS): Detail | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let loose: Detail | undefined;
  // Details are short (values in them are cut to at most 200 characters where they are made);
  // a longer text is not one.
  if (text.length > MAX_DETAIL_LENGTH) return undefined;
  for (const p of patterns) {
    const m = match(p, text);
    if (!m) continue;
    const params: Record<string, string> = {};
    const details: Record<string, Detail> = {};
    let whole = true;
    p.names.forEach((name, i) => {
      const value = m[i]!;
      params[name] = value;
      if (!NESTED.has(name)) return;
      const d = codeDetail(value, depth + 1);
      if (d) details[name] = d;
      else whole = false;
    });
    const out: Detail = { code: p.code };
    if (p.names.length > 0) out.params = params;
    if (Object.keys(details).length > 0) out.details = details;
    // The most specific template whose nested details are all coded; else the most specific one.
    if (whole) return out;
    loose ??= out;
  }
  return loose;
}

/** `s` with its `detail` and `why` coded (`details`) where a template says them; `s` itself if none. */
function codeSentence(s: Sentence): Sentence {
  let details: Record<string, Detail> | undefined;
  for (const name of ["detail", "why"]) {
    const v = s.params?.[name];
    const d = typeof v === "string" ? codeDetail(v) : undefined;
    if (d) (details ??= {})[name] = d;
  }
  return details ? { ...s, details } : s;
}

/**
 * The report with each detail its sentences quote coded (`sentences[i].details`, docs/API.md
 * "Verification"), for pages that say it in another language; its English is unchanged. Checks
 * may be shared, frozen cache entries (verify-credential.ts), so a check with a coded detail is
 * replaced by a copy, never changed in place.
 */
export function withCodedDetails<R extends VerificationReport>(report: R): R {
  const checks = report.checks as Record<string, Check | undefined>;
  for (const [name, c] of Object.entries(checks)) {
    if (!c) continue;
    if (!c.sentences) {
      // A few checks of the core are said in English only, to keep the wallet's bundle within
      // its budget (its VC Data Model defects, schema-check.ts, verify-presentation.ts): when one
      // sentence template says exactly the message, it is that sentence, its details coded.
      const whole = codeDetail(c.message, 0, SENTENCE_PATTERNS);
      if (whole) checks[name] = { ...c, sentences: [whole as Sentence] };
      continue;
    }
    const sentences = c.sentences.map(codeSentence);
    if (sentences.some((s, i) => s !== c.sentences![i])) checks[name] = { ...c, sentences };
  }
  for (const child of report.credentials ?? []) withCodedDetails(child);
  return report;
}
