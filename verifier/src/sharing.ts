// Lasting shares and verifier requests (docs/API.md "Sharing that survives email"):
//   POST   /v1/shares                               {credential, proof, expiresIn?} → 201 {id, url, expiresAt}
//   GET    /v1/shares/{id}                          → {credential, report, sharedAt, expiresAt, checkedAt}, re-verified live
//   DELETE /v1/shares/{id}                          {proof} → 200; 410 share.withdrawn after
//   POST   /v1/presentation-requests                {purpose, types?, expiresIn?} → 201 {id, walletLink, requestUri, resultUrl, expiresAt, manageToken}
//   GET    /oid4vp/requests/{id}                    → the request object the wallet fetches (OpenID4VP 1.0 §5.7 request_uri)
//   POST   /v1/presentation-requests/{id}/response  {presentation} → 200 {report}; 409 once answered
//   GET    /v1/presentation-requests/{id}           Bearer <manageToken> → {state, purpose, report?}
//
// A share is a capability link: whoever holds it sees the credential and its live report, so
// creating and withdrawing one needs a proof by the credential subject's key (a compact JWS over
// {aud: <this service>, credentialId, iat, nonce}), each nonce accepted once.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Check, Ed25519Verify, VerificationReport, PresentationExpectation } from "./core/index.js";
import { check, decodeJwt, publicKeyFromDidKey, say, verdictOf, VerifierError } from "./core/index.js";
import type { SharingStore } from "./sharing-store.js";

export interface SharingOptions {
  store: SharingStore;
  /** Public base URL of this service: the `aud` of holder proofs and the audience of requests. */
  baseUrl: string;
  /** Live verification of one credential / presentation, with this service's trust and clock. */
  verifyCredential(jwt: string): Promise<VerificationReport>;
  /**
   * A VP-JWT, or an SD-JWT with its key-binding JWT (`~`-separated); `answeredAt` is when it
   * answered a stored request (an SD-JWT's key binding is judged fresh as of then).
   */
  verifyPresentation(
    presentation: string,
    expect: PresentationExpectation,
    answeredAt?: string,
  ): Promise<VerificationReport>;
  ed25519: Ed25519Verify;
  now: () => Date;
  /** Requests per minute and address for `POST /v1/presentation-requests` (default 20); applies when the rate limiter is registered. */
  requestsPerMinute?: number;
  /** SVG QR code of a text (the server passes one); enables `GET /v1/presentation-requests/{id}/qr.svg`. */
  qrSvg?: (text: string) => string;
}

/** Default share lifetime: one year (docs/API.md). */
export const DEFAULT_SHARE_SECONDS = 365 * 24 * 3600;
/** Default request lifetime: seven days (docs/API.md). */
export const DEFAULT_REQUEST_SECONDS = 7 * 24 * 3600;
/** How far a holder proof's `iat` may be from the server's clock (docs/API.md: within 300 s). */
export const PROOF_WINDOW_SECONDS = 300;
const MAX_SHARE_SECONDS = 5 * 365 * 24 * 3600;
const MAX_REQUEST_SECONDS = 90 * 24 * 3600;

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
/** `{id}` of a share or presentation request: 22 base64url characters (anything else is simply not found). */
export const sharingIdParamsSchema = z.object({ id: idSchema });
/** `POST /v1/shares` body. */
export const createShareRequestSchema = z.strictObject({
  credential: z
    .string()
    .min(1)
    .max(256 * 1024),
  proof: z.string().min(1).max(8192),
  expiresIn: z.number().int().min(60).max(MAX_SHARE_SECONDS).optional(),
});
/** `DELETE /v1/shares/{id}` body. */
export const withdrawShareRequestSchema = z.strictObject({ proof: z.string().min(1).max(8192) });
/** `POST /v1/presentation-requests` body. */
export const presentationRequestRequestSchema = z.strictObject({
  purpose: z.string().trim().min(1).max(500),
  types: z.array(z.string().min(1).max(100)).min(1).max(10).optional(),
  expiresIn: z.number().int().min(60).max(MAX_REQUEST_SECONDS).optional(),
});
/** `POST /v1/presentation-requests/{id}/response` body. */
export const presentationResponseRequestSchema = z.strictObject({
  presentation: z
    .string()
    .min(1)
    .max(1024 * 1024),
});

const newId = (): string => randomBytes(16).toString("base64url");
const sha256Hex = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function parseBody<T>(schema: z.ZodType<T>, body: unknown, hint: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new VerifierError(
    "sharing.request_invalid",
    `${hint}${issue ? ` (${issue.path.join(".") || "body"}: ${issue.message})` : ""}`,
    { path: issue?.path.join(".") ?? "" },
  );
}

/**
 * The credential's id (`jti`, or the VC's `id`) and subject DID, read without verifying; of an
 * SD-JWT (`~`-separated), from its issuer-signed JWT, which always discloses both.
 */
function credentialFacts(jwt: string): { id: string; subject: string; types: string[] } {
  let payload: Record<string, unknown>;
  try {
    payload = decodeJwt(jwt.split("~")[0]!).payload;
  } catch (cause) {
    throw new VerifierError("sharing.credential_invalid", "The credential is not a readable VC-JWT.", {
      cause,
    });
  }
  const vc = isObject(payload.vc) ? payload.vc : payload;
  const cs = Array.isArray(vc.credentialSubject) ? vc.credentialSubject[0] : vc.credentialSubject;
  const id = typeof payload.jti === "string" ? payload.jti : typeof vc.id === "string" ? vc.id : undefined;
  const subject =
    typeof payload.sub === "string"
      ? payload.sub
      : isObject(cs) && typeof cs.id === "string"
        ? cs.id
        : undefined;
  if (!id || !subject)
    throw new VerifierError(
      "sharing.credential_invalid",
      "The credential names no id or no subject, so no holder can share it.",
    );
  const types = (Array.isArray(vc.type) ? vc.type : [vc.type]).filter(
    (t): t is string => typeof t === "string",
  );
  return { id, subject, types };
}

/**
 * Checks a holder proof: a compact JWS, header {alg EdDSA, kid <subject>#<fragment>, typ JWT},
 * signed by `subject`'s did:key over {aud: baseUrl, credentialId, iat (±300 s), nonce}, the
 * nonce never seen before. A wrong key is 403; a proof that cannot be read is 400.
 */
async function checkHolderProof(
  proof: string,
  subject: string,
  credentialId: string,
  o: SharingOptions,
): Promise<void> {
  let d;
  try {
    d = decodeJwt(proof, 8192);
  } catch (cause) {
    throw new VerifierError("sharing.proof_invalid", "The holder proof is not a compact JWS.", { cause });
  }
  const h = d.header;
  const kid = typeof h.kid === "string" ? h.kid : "";
  const hash = kid.indexOf("#");
  if (h.alg !== "EdDSA" || h.typ !== "JWT" || hash <= 0 || hash === kid.length - 1) {
    throw new VerifierError(
      "sharing.proof_invalid",
      'The holder proof\'s header must be {"alg": "EdDSA", "kid": "<subject DID>#<fragment>", "typ": "JWT"}.',
    );
  }
  const p = d.payload;
  if (
    typeof p.aud !== "string" ||
    typeof p.credentialId !== "string" ||
    typeof p.iat !== "number" ||
    !Number.isFinite(p.iat) ||
    typeof p.nonce !== "string" ||
    p.nonce.length < 8 ||
    p.nonce.length > 256
  ) {
    throw new VerifierError(
      "sharing.proof_invalid",
      "The holder proof must carry aud, credentialId, iat (seconds) and nonce (8-256 characters).",
    );
  }
  // The signer is whoever the kid names; only the subject's own key may act for the credential.
  const did = kid.slice(0, hash);
  if (did !== subject)
    throw new VerifierError(
      "sharing.proof_not_holder",
      "The holder proof is signed by a key other than the credential subject's.",
    );
  let key: Uint8Array;
  try {
    key = publicKeyFromDidKey(did);
  } catch (cause) {
    throw new VerifierError(
      "sharing.proof_not_holder",
      "The credential subject is not an Ed25519 did:key, so no holder proof can be checked.",
      { cause },
    );
  }
  if (!(await o.ed25519.verify(d.signature, d.signingInput, key))) {
    throw new VerifierError(
      "sharing.proof_not_holder",
      "The holder proof's signature does not hold for the credential subject's key.",
    );
  }
  if (p.aud !== o.baseUrl)
    throw new VerifierError(
      "sharing.proof_rejected",
      `The holder proof was made for ${p.aud.slice(0, 200)}, not for ${o.baseUrl}.`,
    );
  if (p.credentialId !== credentialId)
    throw new VerifierError("sharing.proof_rejected", "The holder proof names another credential.");
  const nowMs = o.now().getTime();
  if (Math.abs(nowMs / 1000 - p.iat) > PROOF_WINDOW_SECONDS) {
    throw new VerifierError(
      "sharing.proof_rejected",
      `The holder proof's iat is more than ${PROOF_WINDOW_SECONDS} s from the server's clock; make a fresh one.`,
    );
  }
  // Kept until the iat window has closed for good: after that the proof is refused by iat anyway.
  if (!(await o.store.useNonce(p.nonce, (p.iat + PROOF_WINDOW_SECONDS + 60) * 1000, nowMs))) {
    throw new VerifierError(
      "sharing.proof_rejected",
      "The holder proof's nonce was already used; make a fresh proof.",
    );
  }
}

/** The report of a shared credential, with what the share itself establishes about its holder. */
function shareReport(report: VerificationReport, sharedAt: string): VerificationReport {
  const checks = { ...report.checks } as Record<string, Check> & { signature: Check };
  checks.holder = check(
    true,
    "holder.shared_by_subject",
    say(
      `Shared on ${sharedAt} by the credential's subject, who proved control of its key when making this link. It does not prove who sends you the link now.`,
      "holder.shared_by_subject",
      { sharedAt },
    ),
  );
  return { ...report, checks, verdict: verdictOf(checks) };
}

/** Registers the sharing routes on `app` (called by the verifier plugin). */
export function registerSharingRoutes(app: FastifyInstance, o: SharingOptions): void {
  const noStore = { "cache-control": "no-store" } as const;

  const loadShare = async (params: unknown) => {
    const p = sharingIdParamsSchema.safeParse(params);
    const s = p.success ? await o.store.getShare(p.data.id) : undefined;
    if (!s) throw new VerifierError("share.not_found", "No share with this id.");
    if (s.withdrawnAt)
      throw new VerifierError("share.withdrawn", `The holder withdrew this share on ${s.withdrawnAt}.`);
    if (o.now().getTime() >= Date.parse(s.expiresAt))
      throw new VerifierError("share.expired", `This share expired on ${s.expiresAt}.`);
    return s;
  };

  app.post("/v1/shares", async (req, reply) => {
    const body = parseBody(
      createShareRequestSchema,
      req.body,
      'send {"credential": "<jwt>", "proof": "<holder JWS>", "expiresIn"?: <seconds>}',
    );
    const facts = credentialFacts(body.credential);
    // A credential whose signature fails is refused: a link must not lend this service's name to a forgery.
    const report = await o.verifyCredential(body.credential);
    if (report.checks.signature.ok !== true)
      throw new VerifierError(
        "sharing.credential_invalid",
        `The credential's signature does not hold: ${report.checks.signature.message}`,
      );
    await checkHolderProof(body.proof, facts.subject, facts.id, o);
    const now = o.now();
    const id = newId();
    const expiresAt = new Date(
      now.getTime() + (body.expiresIn ?? DEFAULT_SHARE_SECONDS) * 1000,
    ).toISOString();
    // Durable before it is acknowledged.
    await o.store.putShare({
      id,
      credential: body.credential,
      credentialId: facts.id,
      holder: facts.subject,
      sharedAt: now.toISOString(),
      expiresAt,
    });
    return reply
      .code(201)
      .headers(noStore)
      .send({ id, url: `${o.baseUrl}/s/${id}`, expiresAt });
  });

  app.get("/v1/shares/:id", async (req, reply) => {
    const s = await loadShare(req.params);
    const report = shareReport(await o.verifyCredential(s.credential), s.sharedAt);
    return reply.headers(noStore).send({
      credential: s.credential,
      report,
      sharedAt: s.sharedAt,
      expiresAt: s.expiresAt,
      checkedAt: report.checkedAt,
    });
  });

  app.delete("/v1/shares/:id", async (req, reply) => {
    const body = parseBody(withdrawShareRequestSchema, req.body, 'send {"proof": "<holder JWS>"}');
    const s = await loadShare(req.params);
    await checkHolderProof(body.proof, s.holder, s.credentialId, o);
    if (!(await o.store.withdrawShare(s.id, o.now().toISOString())))
      throw new VerifierError("share.withdrawn", "The holder already withdrew this share.");
    return reply.headers(noStore).send({ id: s.id, state: "withdrawn" });
  });

  const requestUri = (id: string): string => `${o.baseUrl}/oid4vp/requests/${id}`;
  // OpenID4VP 1.0 §5.10: request by reference; the wallet opens the link and fetches request_uri.
  const walletLink = (id: string): string =>
    `${o.baseUrl}/wallet/#request_uri=${encodeURIComponent(requestUri(id))}`;

  const perMinute = o.requestsPerMinute ?? 20;
  app.post(
    "/v1/presentation-requests",
    { config: { rateLimit: { max: perMinute, timeWindow: 60_000 } } },
    async (req, reply) => {
      const body = parseBody(
        presentationRequestRequestSchema,
        req.body,
        'send {"purpose": "<why you ask>", "types"?: ["<credential type>"], "expiresIn"?: <seconds>}',
      );
      const now = o.now();
      const id = newId();
      const manageToken = `mlr_${randomBytes(32).toString("base64url")}`;
      const expiresAt = new Date(
        now.getTime() + (body.expiresIn ?? DEFAULT_REQUEST_SECONDS) * 1000,
      ).toISOString();
      await o.store.putRequest({
        id,
        purpose: body.purpose,
        ...(body.types ? { types: body.types } : {}),
        nonce: randomBytes(24).toString("base64url"),
        audience: o.baseUrl,
        createdAt: now.toISOString(),
        expiresAt,
        manageTokenHash: sha256Hex(manageToken),
      });
      return reply
        .code(201)
        .headers(noStore)
        .send({
          id,
          walletLink: walletLink(id),
          requestUri: requestUri(id),
          resultUrl: `${o.baseUrl}/v1/presentation-requests/${id}`,
          expiresAt,
          manageToken,
        });
    },
  );

  const loadRequest = async (params: unknown) => {
    const p = sharingIdParamsSchema.safeParse(params);
    const r = p.success ? await o.store.getRequest(p.data.id) : undefined;
    if (!r)
      throw new VerifierError("presentation_request.not_found", "No presentation request with this id.");
    return r;
  };

  if (o.qrSvg) {
    const qrSvg = o.qrSvg;
    // The wallet link as a QR code for the /verify page; the link is a pure function of the id.
    app.get("/v1/presentation-requests/:id/qr.svg", async (req, reply) => {
      const r = await loadRequest(req.params);
      return reply
        .type("image/svg+xml")
        .header("cache-control", "private, max-age=3600")
        .send(qrSvg(walletLink(r.id)));
    });
  }

  // The request object (OpenID4VP 1.0 §5.2 parameters, unsigned: the wallet fetched it over TLS
  // from the origin it shows to the learner). `response_uri` takes the `direct_post` answer.
  app.get("/oid4vp/requests/:id", async (req, reply) => {
    const r = await loadRequest(req.params);
    if (r.presentation !== undefined)
      throw new VerifierError("presentation_request.answered", "This request has already been answered.");
    if (o.now().getTime() >= Date.parse(r.expiresAt))
      throw new VerifierError("presentation_request.expired", `This request expired on ${r.expiresAt}.`);
    return reply.headers(noStore).send({
      response_type: "vp_token",
      response_mode: "direct_post",
      client_id: o.baseUrl,
      response_uri: `${o.baseUrl}/v1/presentation-requests/${r.id}/response`,
      nonce: r.nonce,
      audience: r.audience,
      purpose: r.purpose,
      ...(r.types ? { types: r.types } : {}),
      expiresAt: r.expiresAt,
    });
  });

  // The presentation-level checks that belong to the moment of answering (a VP lives minutes);
  // the credentials inside are re-checked live on every read.
  const verifyAnswer = async (
    r: { nonce: string; audience: string },
    presentation: string,
    answeredAt?: string,
  ): Promise<VerificationReport> => {
    const report = await o.verifyPresentation(
      presentation,
      { nonce: r.nonce, audience: r.audience, challenge: "valid" },
      answeredAt,
    );
    // An SD-JWT's `validity` is its credential's (judged now); only a VP has a validity of its own.
    if (
      answeredAt !== undefined &&
      !presentation.includes("~") &&
      report.checks.validity?.ok === false &&
      report.checks.validity.code === "validity.expired"
    ) {
      const checks = { ...report.checks } as Record<string, Check> & { signature: Check };
      checks.validity = check(
        true,
        "validity.valid_when_answered",
        say(
          `The presentation was within its validity period when it answered this request on ${answeredAt}.`,
          "validity.valid_when_answered",
          { answeredAt },
        ),
      );
      return { ...report, checks, verdict: verdictOf(checks, report.credentials ?? []) };
    }
    return report;
  };

  app.post("/v1/presentation-requests/:id/response", async (req, reply) => {
    const body = parseBody(
      presentationResponseRequestSchema,
      req.body,
      'send {"presentation": "<VP-JWT>" | "<SD-JWT>~<KB-JWT>"}',
    );
    const r = await loadRequest(req.params);
    if (r.presentation !== undefined)
      throw new VerifierError("presentation_request.answered", "This request has already been answered.");
    if (o.now().getTime() >= Date.parse(r.expiresAt))
      throw new VerifierError(
        "presentation_request.expired",
        `This request expired on ${r.expiresAt}; ask for a new one.`,
      );
    const report = await verifyAnswer(r, body.presentation);
    // Only a presentation made for this request by its holder can answer it; anything else would
    // let a stranger who saw the link use the request up.
    // (An SD-JWT's `validity` is its credential's, which is reported, not a reason to refuse.)
    const binding = body.presentation.includes("~")
      ? [report.checks.signature, report.checks.holder]
      : [report.checks.signature, report.checks.holder, report.checks.validity];
    if (binding.some((c) => c?.ok !== true)) {
      const why = binding.find((c) => c && c.ok !== true);
      throw new VerifierError(
        "presentation_request.presentation_rejected",
        `The presentation does not answer this request: ${why?.message ?? "it could not be read"}`,
      );
    }
    if (r.types) {
      // A self-asserted credential (secured only by the presentation, VC Data Model 2.0 §4.13.4)
      // is the holder's own word: it never stands for a requested type.
      const presented = new Set([
        ...(report.credentials ?? [])
          .filter((c) => c.checks.signature.code !== "signature.presentation")
          .flatMap((c) => typesOf(c.credential)),
        // An SD-JWT presents one credential: the report is that credential's.
        ...(report.kind === "credential" ? typesOf(report.credential) : []),
      ]);
      const missing = r.types.filter((t) => !presented.has(t));
      if (missing.length)
        throw new VerifierError(
          "presentation_request.presentation_rejected",
          `The request asks for ${missing.join(", ")}, which the presentation does not hold.`,
        );
    }
    if (!(await o.store.answerRequest(r.id, body.presentation, o.now().toISOString()))) {
      throw new VerifierError("presentation_request.answered", "This request has already been answered.");
    }
    return reply.headers(noStore).send({ report });
  });

  app.get("/v1/presentation-requests/:id", async (req, reply) => {
    const auth = req.headers.authorization;
    const m = typeof auth === "string" ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
    if (!m)
      throw new VerifierError(
        "presentation_request.token_missing",
        "Send the manage token as Authorization: Bearer <manageToken>.",
      );
    const r = await loadRequest(req.params);
    const given = Buffer.from(sha256Hex(m[1]!), "hex");
    if (!timingSafeEqual(given, Buffer.from(r.manageTokenHash, "hex")))
      throw new VerifierError(
        "presentation_request.token_invalid",
        "This manage token is not the one for this request.",
      );
    const out: Record<string, unknown> = {
      id: r.id,
      purpose: r.purpose,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
      ...(r.types ? { types: r.types } : {}),
    };
    if (r.presentation !== undefined) {
      out.state = "answered";
      out.answeredAt = r.answeredAt;
      out.report = await verifyAnswer(r, r.presentation, r.answeredAt);
    } else {
      out.state = o.now().getTime() >= Date.parse(r.expiresAt) ? "expired" : "pending";
    }
    return reply.headers(noStore).send(out);
  });
}

function typesOf(cred: Record<string, unknown> | undefined): string[] {
  if (!cred) return [];
  const vc = isObject(cred.vc) ? cred.vc : cred;
  return (Array.isArray(vc.type) ? vc.type : [vc.type]).filter((t): t is string => typeof t === "string");
}
