/**
 * SD-JWT presentations (issue 15; docs/API.md "The learner's account"): an issuer-signed
 * `vc+sd-jwt` (VC-JOSE-COSE §3.2), the disclosures the learner chose, and a key-binding JWT
 * (RFC 9901 §4.3) by the key in `cnf.jwk`, over this verifier's nonce and audience. Parsing,
 * disclosure hashing and the key-binding checks are `@sd-jwt/core`'s; this module adds what that
 * library leaves to the caller: which keys sign (the issuer's did:key, the holder's `cnf`), the
 * audience and freshness of the key binding, that every disclosure belongs to this credential,
 * and which disclosable fields were withheld. The disclosed credential then gets every check a
 * VC-JWT gets (issuer, schema, validity, status, anchoring, scope, no-conversion).
 */
import { createPublicKey, verify as nodeVerify, type JsonWebKey } from "node:crypto";
import { SDJwtInstance } from "@sd-jwt/core";
import { SD_JWT_DISCLOSABLE_PATHS as SD_PATHS } from "@meritlog/schemas";
import { decodeDidKey, jwkFromPublicKey, toBase64Url, tryFromBase64Url } from "@meritlog/core";
import { sdJwtSha256 } from "@meritlog/core/node";
import { nodeSha256, nodeSha256Hex } from "./node-ed25519.js";
import {
  check,
  verdictOf,
  verifyDataIntegrityCredential,
  type Check,
  type JsonObject,
  type VerificationReport,
  type VerifyContext,
} from "./core/index.js";
import type { ChallengeState } from "./core/index.js";
import { say, type Said } from "./core/report-messages.js";

/** JWT and SD-JWT claims that are not part of the credential itself. */
const JWT_CLAIMS = ["iss", "sub", "jti", "nbf", "exp", "iat", "cnf", "vct", "_sd_alg", "_sd", "status"];

/** How far a key-binding JWT's `iat` may be from now (RFC 9901 §7.3 leaves the window to the verifier). */
const KB_MAX_AGE_SECONDS = 300;
/** An SD-JWT presentation larger than this is refused before parsing (a credential is a few KB). */
const MAX_SD_JWT_LENGTH = 64 * 1024;

const isObj = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** JWS algorithms accepted here, each bound to its key type (no algorithm confusion). */
const ALGS: Readonly<Record<string, { kty: string; crv: string; dsa?: "ieee-p1363" }>> = {
  EdDSA: { kty: "OKP", crv: "Ed25519" },
  ES256: { kty: "EC", crv: "P-256", dsa: "ieee-p1363" },
};

/** JSON inside base64url (a JWT segment, a disclosure), or undefined. */
function decodeJson(s: string | undefined): unknown {
  const b = s === undefined ? undefined : tryFromBase64Url(s);
  if (b === undefined) return undefined;
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(b)) as unknown;
  } catch {
    return undefined;
  }
}

function decodeSegment(s: string | undefined): JsonObject | undefined {
  const v = decodeJson(s);
  return isObj(v) ? v : undefined;
}

/** Verifies a compact JWS signature (`header.payload`, `sig`) with a public JWK for the header's alg. */
function jwsVerifies(data: string, sig: string, jwk: unknown): boolean {
  const header = decodeSegment(data.split(".")[0]);
  const a = typeof header?.alg === "string" ? ALGS[header.alg] : undefined;
  if (!a || !isObj(jwk) || jwk.kty !== a.kty || jwk.crv !== a.crv || jwk.d !== undefined) return false;
  const signature = tryFromBase64Url(sig);
  if (signature === undefined) return false;
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
    return nodeVerify(
      null,
      new TextEncoder().encode(data),
      a.dsa ? { key, dsaEncoding: a.dsa } : key,
      signature,
    );
  } catch {
    return false;
  }
}

/** Every digest the issuer-signed payload (and the disclosed values) commit to: `_sd` members and `{"...": d}` array items. */
function committedDigests(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) {
    for (const x of v) {
      if (isObj(x) && Object.keys(x).length === 1 && typeof x["..."] === "string") out.add(x["..."]);
      else committedDigests(x, out);
    }
    return;
  }
  if (!isObj(v)) return;
  for (const [k, x] of Object.entries(v)) {
    // Nested objects carry their own `_sd` (credentialSubject.achievement, its criteria): recurse.
    if (k === "_sd" && Array.isArray(x)) {
      for (const d of x) if (typeof d === "string") out.add(d);
    } else committedDigests(x, out);
  }
}

const at = (o: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((n, k) => (isObj(n) ? n[k] : undefined), o);

/** The disclosable fields the presentation left out: present in the issuer's `_sd` commitments, absent from the disclosed claims. */
function withheldFields(raw: JsonObject, claims: JsonObject): { withheld: string[]; disclosed: string[] } {
  const withheld: string[] = [];
  const disclosed: string[] = [];
  for (const path of SD_PATHS) {
    const keys = path.split(".");
    if (at(claims, keys) !== undefined) {
      disclosed.push(path);
      continue;
    }
    const parent = at(raw, keys.slice(0, -1));
    if (isObj(parent) && Array.isArray(parent._sd) && parent._sd.length > 0) withheld.push(path);
  }
  return { withheld, disclosed };
}

/** What stands in for a withheld field while the credential's shape is checked: said in words, never as content. */
const WITHHELD_TEXT = "(withheld by the holder)";

/**
 * A copy of the disclosed credential in which each withheld field holds a placeholder, so the
 * type and scope checks judge the shape the issuer signed (they require a description, criteria
 * and evidence) rather than fail on the learner's choice; the disclosure check names them.
 */
function withPlaceholders(credential: JsonObject, withheld: readonly string[]): JsonObject {
  const copy = structuredClone(credential);
  for (const path of withheld) {
    const keys = path.split(".");
    let node: unknown = copy;
    for (const k of keys.slice(0, -1)) node = isObj(node) ? node[k] : undefined;
    if (!isObj(node)) continue;
    const last = keys[keys.length - 1]!;
    node[last] =
      last === "evidence"
        ? [
            {
              id: "urn:meritlog:withheld",
              type: ["Evidence"],
              // The SRI of zero bytes: a well-formed digest that names nothing.
              digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
              name: WITHHELD_TEXT,
            },
          ]
        : last === "result"
          ? []
          : WITHHELD_TEXT;
  }
  return copy;
}

function refused(
  code: string,
  message: Said,
  ctx: VerifyContext,
  credential?: JsonObject,
): VerificationReport {
  const signature: Check = { ok: false, code, message: message.text, sentences: message.sentences };
  return {
    verdict: "invalid",
    kind: "credential",
    checks: { signature },
    ...(credential ? { credential } : {}),
    checkedAt: ctx.now.toISOString(),
  };
}

/**
 * Verifies an SD-JWT presentation with key binding to `nonce` and `audience` (the nonce already
 * consumed by the caller: `challenge` is what that said). Returns a full report whose
 * `checks.holder` is the key binding and `checks.disclosure` names withheld fields. Never throws.
 */
export async function verifySdJwtPresentation(
  presentation: string,
  binding: SdJwtBinding,
  ctx: VerifyContext,
): Promise<VerificationReport> {
  return await verifySdJwt(presentation, binding, ctx);
}

/** The verifier's nonce and audience a key-binding JWT must carry. */
interface SdJwtBinding {
  nonce: string;
  audience: string;
  challenge: ChallengeState;
  /** When the presentation answered a stored request: its key binding's freshness is judged as of then. */
  boundAt?: Date;
}

/**
 * Verifies an SD-JWT with the disclosures its holder kept and no key binding (`<JWT>~<d>~…~`), as a
 * lasting share stores it (sharing.ts: the holder proved control of the subject's key when making
 * the link; the share adds `checks.holder`). Same report as a presentation, without `checks.holder`.
 * Never throws.
 */
export async function verifySdJwtDisclosed(sdJwt: string, ctx: VerifyContext): Promise<VerificationReport> {
  return await verifySdJwt(sdJwt, undefined, ctx);
}

async function verifySdJwt(
  presentation: string,
  binding: SdJwtBinding | undefined,
  ctx: VerifyContext,
): Promise<VerificationReport> {
  if (presentation.length > MAX_SD_JWT_LENGTH)
    return refused(
      "sd_jwt.too_large",
      say(`The SD-JWT is over ${MAX_SD_JWT_LENGTH} characters.`, "sd_jwt.too_large", {
        max: MAX_SD_JWT_LENGTH,
      }),
      ctx,
    );
  const parts = presentation.split("~");
  const issuerJwt = parts[0]!;
  const kbJwt = parts[parts.length - 1]!;
  const disclosures = parts.slice(1, -1);
  const [h, p, s] = issuerJwt.split(".");
  const header = decodeSegment(h);
  const raw = decodeSegment(p);
  if (!header || !raw || s === undefined || parts.length < 2)
    return refused(
      "sd_jwt.malformed",
      say("This is not an SD-JWT (issuer-signed JWT, disclosures, `~`).", "sd_jwt.malformed"),
      ctx,
    );
  if (binding === undefined && kbJwt !== "")
    return refused(
      "sd_jwt.malformed",
      say(
        "A shared SD-JWT ends with `~`: a key-binding JWT belongs to one verifier's request.",
        "sd_jwt.shared_with_key_binding",
      ),
      ctx,
    );
  if (binding !== undefined && kbJwt === "")
    return refused(
      "sd_jwt.key_binding_missing",
      say(
        "The presentation has no key-binding JWT: anyone holding a copy could have sent it.",
        "sd_jwt.key_binding_missing",
      ),
      ctx,
    );
  if (header.typ !== "vc+sd-jwt" && header.typ !== "dc+sd-jwt")
    return refused(
      "sd_jwt.typ",
      say(`The issuer-signed JWT's typ must be vc+sd-jwt, not ${String(header.typ)}.`, "sd_jwt.typ", {
        typ: String(header.typ),
      }),
      ctx,
    );
  const iss = typeof raw.iss === "string" ? raw.iss : "";
  let issuerJwk: JsonObject;
  try {
    issuerJwk = jwkFromPublicKey(decodeDidKey(iss));
  } catch {
    return refused(
      "signature.key_unresolvable",
      say("The SD-JWT's issuer is not a did:key this verifier can read.", "sd_jwt.key_unresolvable"),
      ctx,
    );
  }
  if (typeof header.kid !== "string" || header.kid.split("#")[0] !== iss)
    return refused(
      "signature.kid_mismatch",
      say("The key id does not belong to the issuer named in the SD-JWT.", "sd_jwt.kid_mismatch"),
      ctx,
    );
  const holderJwk = isObj(raw.cnf) ? raw.cnf.jwk : undefined;
  if (!isObj(holderJwk))
    return refused(
      "sd_jwt.no_holder_key",
      say("The SD-JWT names no holder key (cnf.jwk) to bind it to.", "sd_jwt.no_holder_key"),
      ctx,
    );

  // RFC 9901 §7.1 step 3.2: every disclosure must be committed to, once.
  const committed = new Set<string>();
  committedDigests(raw, committed);
  const seen = new Set<string>();
  for (const d of disclosures) {
    const digest = toBase64Url(nodeSha256(new TextEncoder().encode(d)));
    const value = decodeJson(d);
    if (!Array.isArray(value))
      return refused(
        "sd_jwt.disclosure_malformed",
        say("A disclosure is not a base64url JSON array.", "sd_jwt.disclosure_malformed"),
        ctx,
      );
    committedDigests(value, committed);
    if (seen.has(digest))
      return refused(
        "sd_jwt.disclosure_repeated",
        say("A disclosure is given twice.", "sd_jwt.disclosure_repeated"),
        ctx,
      );
    seen.add(digest);
  }
  for (const digest of seen)
    if (!committed.has(digest))
      return refused(
        "sd_jwt.disclosure_foreign",
        say(
          "A disclosure does not belong to this credential: its digest is not among the issuer's commitments.",
          "sd_jwt.disclosure_foreign",
        ),
        ctx,
      );

  const sd = new SDJwtInstance<JsonObject>({
    hasher: sdJwtSha256,
    verifier: (data, sig) => jwsVerifies(data, sig, issuerJwk),
    kbVerifier: (data, sig) => jwsVerifies(data, sig, holderJwk),
  });
  const currentDate = Math.floor(ctx.now.getTime() / 1000);
  // First the issuer's signature and the disclosures alone, so a failure is told apart from a bad key binding.
  let validated: JsonObject;
  try {
    validated = (await sd.validate(presentation, { currentDate })).payload as JsonObject;
  } catch (e) {
    const why = e instanceof Error ? e.message.slice(0, 200) : "error";
    return refused(
      "signature.invalid",
      say(`The issuer's signature on the SD-JWT does not hold (${why}).`, "sd_jwt.signature_invalid", {
        detail: why,
      }),
      ctx,
    );
  }
  if (binding === undefined)
    return await disclosedReport(validated, raw, header, iss, issuerJwt, undefined, ctx);
  let claims: JsonObject;
  let kbPayload: { iat: number; aud: string; nonce: string };
  try {
    const r = await sd.verify(presentation, { keyBindingNonce: binding.nonce, currentDate });
    if (!r.kb) throw new Error("no key binding");
    claims = r.payload as JsonObject;
    kbPayload = r.kb.payload;
  } catch (e) {
    const why = e instanceof Error ? e.message.slice(0, 200) : "error";
    return refused(
      "holder.key_binding_invalid",
      say(
        `The key-binding JWT does not hold (${why}): it was not made by the credential's holder key for this presentation and nonce.`,
        "sd_jwt.key_binding_invalid",
        { detail: why },
      ),
      ctx,
    );
  }
  const holderProblems: string[] = [];
  if (kbPayload.aud !== binding.audience) holderProblems.push("it is addressed to another verifier");
  const boundAt = binding.boundAt ? Math.floor(binding.boundAt.getTime() / 1000) : currentDate;
  if (Math.abs(boundAt - kbPayload.iat) > KB_MAX_AGE_SECONDS) holderProblems.push("it is not fresh");
  if (binding.challenge !== "valid") holderProblems.push(`its nonce is ${binding.challenge}`);
  const holder: Check =
    holderProblems.length === 0
      ? check(
          true,
          "holder.key_binding_valid",
          binding.boundAt
            ? say(
                `The learner's key (cnf) signed this presentation for this verifier and nonce when it answered on ${binding.boundAt.toISOString()}.`,
                "sd_jwt.key_binding_valid.at",
                { answeredAt: binding.boundAt.toISOString() },
              )
            : say(
                "The learner's key (cnf) signed this presentation for this verifier and nonce.",
                "sd_jwt.key_binding_valid",
              ),
        )
      : check(
          false,
          "holder.key_binding_invalid",
          say(
            `The key-binding JWT does not hold: ${holderProblems.join("; ")}.`,
            "sd_jwt.key_binding_problems",
            { detail: holderProblems.join("; ") },
          ),
        );
  return await disclosedReport(claims, raw, header, iss, issuerJwt, holder, ctx);
}

/** The report of the disclosed credential: every check a VC-JWT gets, the disclosure check, and the key binding when there is one. */
async function disclosedReport(
  claims: JsonObject,
  raw: JsonObject,
  header: JsonObject,
  iss: string,
  issuerJwt: string,
  holder: Check | undefined,
  ctx: VerifyContext,
): Promise<VerificationReport> {
  const credential = Object.fromEntries(
    Object.entries(claims).filter(([k]) => !JWT_CLAIMS.includes(k)),
  ) as JsonObject;
  const fields = withheldFields(raw, claims);
  const disclosure: Check = check(
    true,
    fields.withheld.length > 0 ? "disclosure.partial" : "disclosure.full",
    fields.withheld.length > 0
      ? say(
          `The learner chose not to show: ${fields.withheld.join(", ")}. What is shown was signed by the issuer.`,
          "disclosure.partial",
          { withheld: fields.withheld.join(", ") },
        )
      : say("Every disclosable field is shown.", "disclosure.full"),
    { withheld: fields.withheld, disclosed: fields.disclosed },
  );
  const report = await verifyDataIntegrityCredential(
    withPlaceholders(credential, fields.withheld),
    {
      check: check(
        true,
        "signature.valid",
        say(
          `The SD-JWT's issuer signature (${String(header.alg)}) holds, made with a key of ${iss}.`,
          "signature.valid.sd_jwt",
          { alg: String(header.alg), signer: iss },
        ),
        { format: "vc+sd-jwt" },
      ),
      did: iss,
    },
    nodeSha256Hex(issuerJwt),
    undefined,
    ctx,
  );
  // The report shows what was disclosed, not the placeholders the checks read.
  report.credential = credential;
  if (holder) report.checks.holder = holder;
  (report.checks as Record<string, Check>).disclosure = disclosure;
  report.verdict = verdictOf(report.checks as Record<string, Check>, report.credentials ?? []);
  return report;
}
