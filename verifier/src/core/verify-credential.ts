// One credential JWT → one report (docs/API.md "Verification"; issue 4 "The report").
import type { VerifyContext, Receipt, HistoryEvent } from "./context.js";
import { registryOf } from "./registry.js";
import { DEFAULT_SKEW_SECONDS, withTimeout } from "./context.js";
import type { DecodedJwt, JsonObject } from "./jose.js";
import { MAX_CREDENTIAL_JWT_LENGTH, decodeJwt } from "./jose.js";
import type { Check, CredentialChecks, VerificationReport } from "./report.js";
import { check, notChecked, verdictOf } from "./report.js";
import { say } from "./report-messages.js";
import { verifyJwsSignature } from "./signature.js";
import { normalizeCredential, type NormalizedCredential } from "./credential-form.js";
import type { Resolution } from "./did-resolver.js";
import { checkValidity } from "./validity.js";
import { checkStatus } from "./status-list.js";
import { checkAnchoring } from "./anchoring.js";
import { sha256Hex } from "./digest.js";
import { checkNoConversion, checkSchema, checkScope, isOurs } from "./schema-check.js";
import { checkCoAuthorship } from "./co-authorship.js";
import { checkEndorsements } from "./endorsements.js";
import { VerifierError } from "../errors.js";
import { NEVER, type VerifierCache } from "./cache.js";

const LATER = ["issuer", "schema", "validity", "status", "anchoring", "scope", "noConversion"] as const;

function failedReport(
  signature: Check,
  why: string,
  ctx: VerifyContext,
  credential?: JsonObject,
): VerificationReport {
  const checks: Record<string, Check> = { signature };
  for (const name of LATER)
    checks[name] = name === "status" ? { ...notChecked(name, why), state: "unknown" } : notChecked(name, why);
  const report: VerificationReport = {
    verdict: "invalid",
    kind: "credential",
    checks: checks as unknown as CredentialChecks,
    checkedAt: ctx.now.toISOString(),
  };
  if (credential) report.credential = credential;
  return report;
}

/** A report for a token that could not be decoded at all (bad segments, base64, JSON, size). */
export function undecodableReport(
  e: unknown,
  ctx: VerifyContext,
  kind: "credential" | "presentation" = "credential",
): VerificationReport {
  const code = e instanceof VerifierError ? e.code : "jwt.malformed";
  const message = e instanceof VerifierError ? e.message : "The token could not be read.";
  const r = failedReport(
    check(false, code, say(`${message} It cannot be verified.`, "token.unreadable", { detail: message })),
    "the token could not be read",
    ctx,
  );
  r.kind = kind;
  return r;
}

/**
 * Verifies a credential VC-JWT (VC 2.0 / Open Badges 3.0 form, or VC 1.1 `vc` form).
 * Never throws for bad input: every problem is a check in the report.
 * @param receipt the log receipt, if the caller has one; otherwise the fetcher may look it up.
 */
export async function verifyCredential(
  jwt: string,
  receipt: Receipt | undefined,
  ctx: VerifyContext,
): Promise<VerificationReport> {
  const known = ctx.cache?.credentials.get(jwt, 0) as Decoded | undefined;
  if (known) return await verifyDecodedCredential(known.d, receipt, ctx, known);
  let d: DecodedJwt;
  try {
    d = decodeJwt(jwt, MAX_CREDENTIAL_JWT_LENGTH);
  } catch (e) {
    return undecodableReport(e, ctx);
  }
  if (!ctx.cache || jwt.length > MAX_KEPT_JWT_LENGTH) return await verifyDecodedCredential(d, receipt, ctx);
  // Kept only here, where the decoding is of exactly `jwt` (an SD-JWT's payload, say, is not).
  const decoded: Decoded = { d, norm: deepFreeze(normalizeCredential(d.payload)), schema: [] };
  deepFreeze(d.header);
  deepFreeze(d.payload);
  ctx.cache.credentials.set(jwt, decoded, NEVER);
  return await verifyDecodedCredential(d, receipt, ctx, decoded);
}

/**
 * What the bytes of a credential JWT alone decide, kept by the JWT in `ctx.cache.credentials`
 * (issue 10: decoding, normalising and the schema check were a third of a verification's CPU
 * besides the signature). Every check that depends on anything else (the signature, which is
 * verified on every call; issuer registration, validity time, status, anchoring) is not kept.
 * The JSON is frozen: reports of later calls share it.
 */
/**
 * Longer JWTs (embedded images, say) are decoded every time, so the kept decodings stay within
 * about 1,000 × 16 KiB × a few (the decoded objects) whatever callers send.
 */
const MAX_KEPT_JWT_LENGTH = 16 * 1024;

/** A credential JWT's kept decoding (see {@link decodingToKeep}). */
export interface KeptDecoding {
  d: DecodedJwt;
  norm: NormalizedCredential | undefined;
  digest?: string;
  /** checkSchema(credential, ours, form), by `ours`. */
  schema: [unregistered?: SchemaCheck, ours?: SchemaCheck];
}
type SchemaCheck = ReturnType<typeof checkSchema>;
type Decoded = KeptDecoding;

/**
 * What {@link verifyCredential} keeps of `jwt`, made apart from any verification (a server's
 * worker thread makes it and sends it to the event loop, which hands it to
 * {@link keepDecodedCredential}): the decoding, normal form and digest, and the schema check of a
 * credential that is one of ours whoever signed it (`isOurs` without registration). Undefined when
 * nothing would be kept (a token that does not decode, or one longer than is kept).
 */
export function decodingToKeep(
  jwt: string,
  hashHex: NonNullable<VerifyContext["sha256Hex"]>,
): KeptDecoding | undefined {
  if (jwt.length > MAX_KEPT_JWT_LENGTH) return undefined;
  let d: DecodedJwt;
  try {
    d = decodeJwt(jwt, MAX_KEPT_JWT_LENGTH);
  } catch {
    return undefined;
  }
  const norm = normalizeCredential(d.payload);
  const kept: KeptDecoding = { d, norm, digest: hashHex(d.raw), schema: [] };
  if (norm && isOurs(norm.credential, false)) kept.schema[1] = checkSchema(norm.credential, true, norm.form);
  return kept;
}

/**
 * Keeps `kept` (from {@link decodingToKeep}, possibly a copy made on another thread) as the
 * decoding of `jwt` in `cache`, frozen as verifyCredential keeps its own, so later verifications
 * of `jwt` start from it. The caller vouches that `kept` is the decoding of exactly `jwt`.
 */
export function keepDecodedCredential(cache: VerifierCache, jwt: string, kept: KeptDecoding): void {
  deepFreeze(kept.norm);
  deepFreeze(kept.d.header);
  deepFreeze(kept.d.payload);
  for (const s of kept.schema) {
    if (!s) continue;
    deepFreeze(s.parsed);
    deepFreeze(s);
  }
  cache.credentials.set(jwt, kept, NEVER);
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !ArrayBuffer.isView(v) && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** Verifies an already decoded credential JWT. */
export async function verifyDecodedCredential(
  d: DecodedJwt,
  receipt: Receipt | undefined,
  ctx: VerifyContext,
  decoded?: Decoded,
): Promise<VerificationReport> {
  const norm = decoded ? decoded.norm : normalizeCredential(d.payload);
  if (!norm) {
    return failedReport(
      check(
        false,
        "schema.not_a_credential",
        say('The token\'s "vc" claim is not a credential object.', "schema.not_a_credential.vc"),
      ),
      "the token is not a credential",
      ctx,
    );
  }
  const iss = d.payload.iss;
  const signer = typeof iss === "string" ? iss : norm.form === "vc1.1" ? undefined : norm.issuerId;
  const sig = await verifyJwsSignature(d, signer, ctx);
  if (sig.check.ok !== true) {
    const r = failedReport(
      sig.check,
      sig.check.ok === false ? "the signature does not hold" : "the signature could not be checked",
      ctx,
      norm.credential,
    );
    // When the issuer's DID itself could not be resolved, the issuer check says why.
    const res = sig.resolution;
    if (res && res.ok !== true)
      r.checks.issuer = {
        ...check(res.ok, res.code, res.message),
        did: res.did,
        registered: registryOf(ctx.trust).has(res.did),
      };
    return r;
  }
  let digest = decoded?.digest;
  if (digest === undefined) {
    digest = sha256Hex(d.raw, ctx);
    if (decoded) decoded.digest = digest;
  }
  return await reportAfterSignature(norm, signer!, sig.check, sig.resolution, digest, receipt, ctx, decoded);
}

/**
 * Verifies a credential secured with an embedded Data Integrity proof (VC Data Integrity 1.0),
 * given the outcome of the proof check, which the caller makes (the Node entry does it with
 * Digital Bazaar's libraries; this core stays free of JSON-LD). Every other check is the same as
 * for a VC-JWT; the log digest is hex SHA-256 of the credential's RFC 8785 canonical JSON.
 */
export async function verifyDataIntegrityCredential(
  credential: JsonObject,
  proof: { check: Check; did?: string },
  digest: string,
  receipt: Receipt | undefined,
  ctx: VerifyContext,
): Promise<VerificationReport> {
  const norm = normalizeCredential(credential);
  if (!norm || credential.vc !== undefined)
    return failedReport(
      check(
        false,
        "schema.not_a_credential",
        say("The object is not a credential.", "schema.not_a_credential"),
      ),
      "the object is not a credential",
      ctx,
    );
  if (proof.check.ok !== true || proof.did === undefined) {
    const r = failedReport(
      proof.check,
      proof.check.ok === false ? "the proof does not hold" : "the proof could not be checked",
      ctx,
      norm.credential,
    );
    return r;
  }
  return await reportAfterSignature(norm, proof.did, proof.check, undefined, digest, receipt, ctx);
}

/** Every check after the signature (or proof) held, for the signer `did`. */
async function reportAfterSignature(
  norm: NormalizedCredential,
  did: string,
  signatureCheck: Check,
  resolution: Resolution | undefined,
  digest: string,
  receipt: Receipt | undefined,
  ctx: VerifyContext,
  decoded?: Decoded,
): Promise<VerificationReport> {
  const sig = { check: signatureCheck, resolution };
  const checks: Partial<CredentialChecks> & { signature: Check } = { signature: sig.check };

  // Issuer: the DID resolved (or we would not be here); the credential must name the signer
  // as its issuer (OB3 §8.2: iss = issuer.id); registration in our registry is a warning only.
  const entry = registryOf(ctx.trust).get(did);
  const registered = entry !== undefined;
  const res = sig.resolution && sig.resolution.ok === true ? sig.resolution : undefined;
  const resolvedVia =
    res?.method === "did:web"
      ? { resolvedFrom: res.url, fetchedAt: res.fetchedAt }
      : { resolvedFrom: "did:key (offline)" };
  if (norm.issuerId !== did) {
    checks.issuer = withIssuer(
      check(
        false,
        "issuer.mismatch",
        say(
          `The credential names ${String(norm.issuerId).slice(0, 120)} as issuer, but it was signed by ${did.slice(0, 120)}.`,
          "issuer.mismatch",
          { named: String(norm.issuerId).slice(0, 120), did: did.slice(0, 120) },
        ),
      ),
      did,
      registered,
    );
  } else if (entry?.previous) {
    checks.issuer = withIssuer(
      check(
        true,
        "issuer.registered",
        entry.previous.retiredAt !== undefined
          ? say(
              `Issued by ${entry.name} (${did}), an issuer registered with this service, signed with an earlier key of ${entry.name}, retired at ${entry.previous.retiredAt}; its current DID is ${entry.currentDid}.`,
              "issuer.registered.retired_at",
              {
                name: entry.name,
                did,
                retiredAt: entry.previous.retiredAt,
                currentDid: entry.currentDid,
              },
            )
          : say(
              `Issued by ${entry.name} (${did}), an issuer registered with this service, signed with an earlier key of ${entry.name}, since retired; its current DID is ${entry.currentDid}.`,
              "issuer.registered.retired",
              { name: entry.name, did, currentDid: entry.currentDid },
            ),
        {
          name: entry.name,
          previousKey: true,
          currentDid: entry.currentDid,
          ...(entry.previous.retiredAt !== undefined ? { retiredAt: entry.previous.retiredAt } : {}),
          ...resolvedVia,
        },
      ),
      did,
      registered,
    );
  } else if (registered) {
    checks.issuer = withIssuer(
      check(
        true,
        "issuer.registered",
        say(
          `Issued by ${entry.name} (${did}), an issuer registered with this service.`,
          "issuer.registered",
          { name: entry.name, did },
        ),
        {
          name: entry.name,
          ...resolvedVia,
        },
      ),
      did,
      registered,
    );
  } else {
    checks.issuer = withIssuer(
      check(
        true,
        "issuer.unregistered",
        say(
          `Issued by ${did}. This issuer is not registered with this service: the signature is genuine, but who stands behind this DID is not vouched for here.`,
          "issuer.unregistered",
          { did },
        ),
        {
          warning: true,
          ...resolvedVia,
        },
      ),
      did,
      registered,
    );
  }

  const cred = norm.credential;
  const ours = isOurs(cred, registered);
  let schema = decoded?.schema[ours ? 1 : 0];
  if (!schema) {
    schema = checkSchema(cred, ours, norm.form);
    if (decoded) {
      deepFreeze(schema.parsed);
      decoded.schema[ours ? 1 : 0] = deepFreeze(schema);
    }
  }
  if (schema.ok === true && norm.mismatches.length > 0) {
    const m = norm.mismatches[0]!;
    checks.schema = check(
      false,
      "schema.claims_mismatch",
      say(`The token's claims disagree with the credential: ${m.message}`, "schema.claims_mismatch", {
        detail: m.message,
      }),
      { field: m.field, mismatches: norm.mismatches },
    );
  } else {
    // Its enumerable members only (not the non-enumerable parsed credential), plus the form.
    const s = {} as Check;
    for (const k of Object.keys(schema)) s[k] = schema[k];
    if (schema.ok === true) s.form = norm.form;
    checks.schema = s;
  }
  checks.validity = checkValidity(
    norm.notBefore,
    norm.notAfter,
    ctx.now,
    ctx.skewSeconds ?? DEFAULT_SKEW_SECONDS,
    "credential",
    { from: norm.validFrom, until: norm.validUntil },
  );

  const [status, anchoring] = await Promise.all([
    statusOf(cred, norm.id, did, ctx),
    anchoringOf(receipt, digest, norm.id, did, ctx),
  ]);
  checks.status = status;
  checks.anchoring = anchoring;
  checks.scope = checkScope(cred, ours, schema.parsed);
  checks.noConversion = checkNoConversion(cred, ours);
  // Issue 14: present only where they apply (a co-authored MPU; a credential with endorsements).
  const [coAuthorship, endorsements] = await Promise.all([
    checkCoAuthorship(cred, did, ctx),
    checkEndorsements(norm.id, ctx),
  ]);
  if (coAuthorship) checks.coAuthorship = coAuthorship;
  if (endorsements) checks.endorsements = endorsements;

  const report: VerificationReport = {
    verdict: verdictOf(checks as Record<string, Check>),
    kind: "credential",
    checks,
    credential: cred,
    checkedAt: ctx.now.toISOString(),
  };
  return report;
}

/** `{ ...c, did, registered }` for a fresh check `c`, without the copy (same members, same order). */
function withIssuer(c: Check, did: string, registered: boolean): CredentialChecks["issuer"] {
  c.did = did;
  c.registered = registered;
  return c;
}

/** How many of a credential's newest history events a verification reads (a bound on a fetcher's answer). */
const MAX_HISTORY_JUDGED = 1000;

async function statusOf(
  cred: JsonObject,
  id: string | undefined,
  did: string,
  ctx: VerifyContext,
): Promise<CredentialChecks["status"]> {
  let history: HistoryEvent[] | undefined;
  let note: string | undefined;
  const getHistory = ctx.fetcher?.history;
  if (getHistory && id !== undefined) {
    try {
      const h = await withTimeout(ctx, "history fetch", () => getHistory.call(ctx.fetcher, id));
      // The newest events decide the state (the last suspend/reinstate, a final event): keeping
      // the oldest ones judged a credential suspended 200 events ago as suspended still.
      history = Array.isArray(h) ? h.slice(-MAX_HISTORY_JUDGED) : undefined;
    } catch (e) {
      note = `The credential's recorded history could not be read (${e instanceof Error ? e.message.slice(0, 120) : "error"}).`;
    }
  }
  return await checkStatus(cred, did, ctx, history, note);
}

async function anchoringOf(
  receipt: Receipt | undefined,
  digest: string,
  id: string | undefined,
  did: string,
  ctx: VerifyContext,
): Promise<Check> {
  let r: unknown = receipt;
  let source: "given" | "looked-up" = "given";
  const lookup = ctx.fetcher?.receipt;
  if (r === undefined && lookup) {
    source = "looked-up";
    try {
      r = await withTimeout(ctx, "receipt lookup", () => lookup.call(ctx.fetcher, digest));
    } catch {
      return check(
        "unknown",
        "anchoring.lookup_failed",
        say(
          `No receipt was given and the log could not be searched for this credential.`,
          "anchoring.lookup_failed",
        ),
      );
    }
  }
  return await checkAnchoring(
    r,
    digest,
    id !== undefined ? { credentialId: id, issuer: did } : { issuer: did },
    ctx,
    source,
  );
}
