// A VP-JWT → one report with a sub-report per credential.
// Holder binding: the presentation is signed by the holder's DID over the verifier's challenge
// (nonce and audience, VC-JWT 1.1 §6.3.2 / RFC 7519 `aud`, OpenID4VP-style `nonce`), each nonce
// usable once, and the holder is the subject of every credential it presents.
import type { VerifyContext } from "./context.js";
import { DEFAULT_SKEW_SECONDS } from "./context.js";
import type { DecodedJwt, JsonObject } from "./jose.js";
import { MAX_CREDENTIAL_JWT_LENGTH, MAX_PRESENTATION_JWT_LENGTH, decodeJwt } from "./jose.js";
import type { Check, VerificationReport } from "./report.js";
import { dataModelDefects } from "./vc-data-model.js";
import { check, verdictOf } from "./report.js";
import { say, sayNotChecked } from "./report-messages.js";
import { verifyJwsSignature } from "./signature.js";
import { checkValidity } from "./validity.js";
import {
  undecodableReport,
  verifyDataIntegrityCredential,
  verifyDecodedCredential,
} from "./verify-credential.js";
import { issuerIdOf, numericDate } from "./credential-form.js";
import { sha256Hex } from "./digest.js";
import { canonicalJson } from "@meritlog/schemas";

/** What the challenge store said about the presented nonce (the store lives with the caller). */
export type ChallengeState = "valid" | "expired" | "replayed" | "unknown";

export interface PresentationExpectation {
  nonce: string;
  audience: string;
  /** The store's verdict on `nonce`; omit when the caller checks nonces some other way. */
  challenge?: ChallengeState;
}

const MAX_CREDENTIALS = 20;

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** One credential a presentation holds: a JWT, or a self-asserted credential object (§4.13.4). */
type Embedded = { token: string } | { selfAsserted: JsonObject };

/**
 * The credentials of a presentation: JWT strings, VC 2.0 EnvelopedVerifiableCredential data URLs,
 * and credential objects without a proof of their own, which only the presentation's signature
 * can secure: self-asserted credentials (VC Data Model 2.0 §4.13.4), judged by the caller.
 */
function embeddedCredentials(vp: JsonObject): { items: Embedded[]; problem?: string } {
  const raw = vp.verifiableCredential;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (list.length > MAX_CREDENTIALS)
    return { items: [], problem: `more than ${MAX_CREDENTIALS} credentials` };
  const items: Embedded[] = [];
  for (const item of list) {
    if (typeof item === "string") items.push({ token: item });
    else if (
      isObject(item) &&
      item.type === "EnvelopedVerifiableCredential" &&
      typeof item.id === "string" &&
      /^data:application\/(vc\+jwt|vc-ld\+jwt|jwt)[;,]/.test(item.id)
    ) {
      items.push({ token: item.id.slice(item.id.indexOf(",") + 1) });
    } else if (
      isObject(item) &&
      item.proof === undefined &&
      (Array.isArray(item.type) ? item.type : [item.type]).includes("VerifiableCredential")
    )
      items.push({ selfAsserted: item });
    else return { items: [], problem: "an embedded credential that is neither a JWT nor an enveloped JWT" };
  }
  return { items };
}

/** The presentation payload as reported: the embedded credential tokens are left out (each has its own report). */
function withoutTokens(p: JsonObject): JsonObject {
  if (isObject(p.vp)) {
    const { verifiableCredential: _vc, ...vp } = p.vp;
    return { ...p, vp };
  }
  const { verifiableCredential: _vc, ...rest } = p;
  return rest;
}

function subjectIds(cred: JsonObject | undefined): string[] {
  const cs = cred?.credentialSubject;
  return (Array.isArray(cs) ? cs : [cs])
    .filter(isObject)
    .map((s) => s.id)
    .filter((x): x is string => typeof x === "string");
}

/**
 * Verifies a presentation JWT against the expected challenge. Never throws for bad input.
 * The report's `credentials` holds one credential report per embedded credential.
 */
export async function verifyPresentation(
  jwt: string,
  expect: PresentationExpectation,
  ctx: VerifyContext,
): Promise<VerificationReport> {
  let d: DecodedJwt;
  try {
    d = decodeJwt(jwt, MAX_PRESENTATION_JWT_LENGTH);
  } catch (e) {
    const r = undecodableReport(e, ctx, "presentation");
    r.checks = {
      signature: r.checks.signature,
      holder: check("unknown", "holder.not_checked", sayNotChecked("the presentation could not be read")),
    };
    return r;
  }
  const p = d.payload;
  const vp = isObject(p.vp) ? p.vp : p;
  const holder = typeof p.iss === "string" ? p.iss : undefined;
  const checks: Record<string, Check> & { signature: Check } = {
    signature: check(false, "signature.not_checked", ""),
  };
  const sig = await verifyJwsSignature(d, holder, ctx, "presentation");
  checks.signature = sig.check;
  const isVp = (Array.isArray(vp.type) ? vp.type : [vp.type]).includes("VerifiablePresentation");
  const report: VerificationReport = {
    verdict: "invalid",
    kind: "presentation",
    checks,
    presentation: withoutTokens(p),
    checkedAt: ctx.now.toISOString(),
  };
  if (!isVp) {
    checks.holder = check(
      false,
      "holder.not_a_presentation",
      'The token is not a Verifiable Presentation (its type lacks "VerifiablePresentation").',
    );
    return report;
  }
  if (sig.check.ok !== true) {
    checks.holder = check(
      "unknown",
      "holder.not_checked",
      sayNotChecked("the presentation's signature does not hold"),
    );
    return report;
  }
  // The challenge: exactly our nonce and our audience, and a nonce the store issued, unused, unexpired.
  const aud = p.aud;
  const audOk =
    typeof aud === "string" ? aud === expect.audience : Array.isArray(aud) && aud.includes(expect.audience);
  if (typeof p.nonce !== "string" || p.nonce !== expect.nonce) {
    checks.holder = check(
      false,
      "holder.nonce_mismatch",
      say(
        `The presentation was not made for this verification request: its nonce differs from the one issued.`,
        "holder.nonce_mismatch",
      ),
    );
  } else if (!audOk) {
    checks.holder = check(
      false,
      "holder.audience_mismatch",
      say(
        `The presentation was made for another verifier (audience ${String(JSON.stringify(aud)?.slice(0, 120))}), not ${expect.audience}.`,
        "holder.audience_mismatch",
        {
          audience: String(JSON.stringify(aud)?.slice(0, 120)),
          expected: expect.audience,
        },
      ),
    );
  } else if (expect.challenge === "replayed") {
    checks.holder = check(
      false,
      "holder.nonce_replayed",
      say(
        `This presentation's nonce was already used: it is a replay of an earlier presentation.`,
        "holder.nonce_replayed",
      ),
    );
  } else if (expect.challenge === "expired") {
    checks.holder = check(
      false,
      "holder.nonce_expired",
      say(`This presentation's nonce has expired; ask the holder to present again.`, "holder.nonce_expired"),
    );
  } else if (expect.challenge === "unknown") {
    checks.holder = check(
      false,
      "holder.nonce_unknown",
      say(`This presentation's nonce was not issued by this verifier.`, "holder.nonce_unknown"),
    );
  } else if (
    vp.holder !== undefined &&
    vp.holder !== holder &&
    !(isObject(vp.holder) && vp.holder.id === holder)
  ) {
    checks.holder = check(
      false,
      "holder.holder_mismatch",
      "The presentation names a holder other than its signer.",
    );
  }
  // A presentation in the VC Data Model 2.0 form (the payload is the presentation, no `vp` claim)
  // must keep that model's structure (§4.13): a bare JWT string where an
  // EnvelopedVerifiableCredential belongs, a non-URL holder, a missing base context are named.
  if (!isObject(p.vp)) {
    const defects = dataModelDefects(vp, "presentation");
    if (defects.length > 0) {
      const first = defects[0]!;
      checks.schema = check(
        false,
        "schema.data_model",
        `This presentation breaks the VC Data Model 2.0: ${first.message}${defects.length > 1 ? ` (and ${defects.length - 1} more)` : ""}.`,
        { defects },
      );
    }
  }
  const nbf = numericDate(p.nbf);
  const exp = numericDate(p.exp);
  if ((p.nbf !== undefined && nbf === undefined) || (p.exp !== undefined && exp === undefined)) {
    checks.validity = check(
      false,
      "validity.malformed",
      'The presentation\'s "nbf" or "exp" is not a valid time.',
    );
  }
  checks.validity ??= checkValidity(
    nbf,
    exp,
    ctx.now,
    ctx.skewSeconds ?? DEFAULT_SKEW_SECONDS,
    "presentation",
  );

  const { items, problem } = embeddedCredentials(vp);
  if (problem || items.length === 0) {
    // VC Data Model 2.0 §4.13: verifiableCredential MAY be absent. A presentation without
    // credentials is well formed but binds nothing: "unknown" (a warning here; the
    // presentation-request routes, which need the holder check to hold, still refuse it).
    checks.holder ??= problem
      ? check(false, "holder.no_credentials", `The presentation holds ${problem}.`)
      : check(
          "unknown",
          "holder.no_credentials",
          "The presentation holds no credentials: it shows only that its signer controls the holder's DID, for this request.",
        );
    report.credentials = [];
    report.verdict = verdictOf(checks);
    return report;
  }
  const children: VerificationReport[] = [];
  let unbound = 0;
  for (const item of items) {
    if ("selfAsserted" in item) {
      const r = await verifySelfAsserted(item.selfAsserted, holder, vp, ctx);
      if (r.checks.holder?.ok !== true) unbound++;
      children.push(r);
      continue;
    }
    const t = item.token;
    let cd: DecodedJwt;
    try {
      cd = decodeJwt(t, MAX_CREDENTIAL_JWT_LENGTH);
    } catch (e) {
      children.push(undecodableReport(e, ctx));
      unbound++;
      continue;
    }
    const r = await verifyDecodedCredential(cd, undefined, ctx);
    // Holder binding (per credential): the presenter must be the credential's subject.
    const subs = subjectIds(r.credential);
    const sub = typeof cd.payload.sub === "string" ? cd.payload.sub : subs[0];
    if (
      holder !== undefined &&
      (sub === holder || subs.includes(holder)) &&
      (sub === undefined || sub === holder)
    ) {
      r.checks.holder = check(
        true,
        "holder.bound",
        say(`Presented by its subject, ${holder}.`, "holder.bound.credential", { holder }),
      );
    } else {
      unbound++;
      r.checks.holder = check(
        false,
        "holder.not_subject",
        sub
          ? say(
              `Presented by ${String(holder).slice(0, 120)}, who is not this credential's subject (${sub.slice(0, 120)}).`,
              "holder.not_subject.credential.subject",
              {
                holder: String(holder).slice(0, 120),
                subject: sub.slice(0, 120),
              },
            )
          : say(
              `Presented by ${String(holder).slice(0, 120)}, who is not this credential's subject.`,
              "holder.not_subject.credential",
              { holder: String(holder).slice(0, 120) },
            ),
      );
    }
    r.verdict = verdictOf(r.checks as Record<string, Check>);
    children.push(r);
  }
  report.credentials = children;
  checks.holder ??=
    unbound === 0
      ? check(
          true,
          "holder.bound",
          items.some((i) => "selfAsserted" in i)
            ? say(
                `Signed by the holder ${String(holder)} for this request (nonce and audience match), and the holder is the subject of every credential presented (or, for a self-asserted one, its issuer).`,
                "holder.bound.self_asserted",
                { holder: String(holder) },
              )
            : say(
                `Signed by the holder ${String(holder)} for this request (nonce and audience match), and the holder is the subject of every credential presented.`,
                "holder.bound",
                { holder: String(holder) },
              ),
        )
      : check(
          false,
          "holder.not_subject",
          say(
            `The presentation's signer is not the subject (or, for a self-asserted credential, the named holder and issuer) of ${unbound} of its ${items.length} credential(s).`,
            "holder.not_subject",
            { unbound, count: items.length },
          ),
        );
  report.verdict = verdictOf(checks, children);
  return report;
}

/**
 * A credential object the presentation holds without a proof of its own (VC Data Model 2.0
 * §4.13.4 "Presentations Including Holder Claims"): the presentation's signature secures it only
 * if it is self-asserted, its issuer identical to the holder, and the presentation then MUST name
 * that holder. Otherwise nothing secures it and its report says so.
 */
async function verifySelfAsserted(
  credential: JsonObject,
  signer: string | undefined,
  vp: JsonObject,
  ctx: VerifyContext,
): Promise<VerificationReport> {
  const issuer = issuerIdOf(credential.issuer);
  const named = typeof vp.holder === "string" ? vp.holder : isObject(vp.holder) ? vp.holder.id : undefined;
  const digest = sha256Hex(canonicalJson(credential), ctx);
  if (signer === undefined || issuer !== signer)
    return await verifyDataIntegrityCredential(
      credential,
      {
        check: check(
          false,
          "signature.unsecured",
          `This credential carries no proof of its own, and its issuer (${String(issuer).slice(0, 120)}) is not the presentation's signer: nothing secures it (only a self-asserted credential may rely on the presentation's signature, VC Data Model 2.0 §4.13.4).`,
        ),
      },
      digest,
      undefined,
      ctx,
    );
  const r = await verifyDataIntegrityCredential(
    credential,
    {
      check: check(
        true,
        "signature.presentation",
        `A self-asserted credential of ${signer}, secured by the presentation it signed (VC Data Model 2.0 §4.13.4).`,
      ),
      did: signer,
    },
    digest,
    undefined,
    ctx,
  );
  r.checks.holder =
    named === signer
      ? check(
          true,
          "holder.self_asserted",
          say(`Asserted by its holder, ${signer}, who presents it.`, "holder.self_asserted", {
            holder: signer,
          }),
        )
      : check(
          false,
          "holder.self_asserted_unnamed",
          named === undefined
            ? "The presentation holds a self-asserted credential but names no holder; it must (VC Data Model 2.0 §4.13.4)."
            : "The presentation's holder is not the issuer of the self-asserted credential it holds (VC Data Model 2.0 §4.13.4).",
        );
  r.verdict = verdictOf(r.checks as Record<string, Check>);
  return r;
}
