import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import {
  checkJwsHeader,
  decodeDidKey,
  decodeJws,
  encodeDidKey,
  isCoreError,
  publicKeyFromJwk,
  verifyJwsSignature,
  type DecodedJws,
  type JwsHeaderRules,
} from "@meritlog/core";
import { CREDENTIAL_CONTEXTS, offerToIssueRequest, type OfferRequest } from "@meritlog/schemas";
import { OID4VCI_CORS_PATHS } from "./oid4vci-contracts.js";
import { IssuerError } from "./errors.js";
import { TX_CODE_LENGTH, type OfferStore } from "./offers.js";
import { offerResponse, parseOfferBody } from "./offer-requests.js";
import { CREDENTIAL_BODY_LIMIT } from "./routes.js";

/**
 * OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow (§3.5), as HTTP routes:
 *
 * - `POST /v1/offers` (issuer token): creates a one-time offer → `{offerId, offerUri, preAuthorizedCode, expiresAt, …}`
 * - `GET /oid4vci/offers/:offerId`: the Credential Offer object (§4.1.1), target of `credential_offer_uri`
 * - `GET /.well-known/openid-credential-issuer`: Credential Issuer Metadata (§12.2)
 * - `GET /.well-known/oauth-authorization-server`: RFC 8414 metadata naming the token endpoint
 * - `POST /oid4vci/token`: Token Endpoint (§6), form-encoded (RFC 6749) or JSON
 * - `POST /oid4vci/nonce`: Nonce Endpoint (§7)
 * - `POST /oid4vci/credential`: Credential Endpoint (§8) with a `jwt` key proof (Appendix F.1)
 *
 * OAuth endpoints answer errors in the OAuth format `{error, error_description}` (RFC 6749 §5.2,
 * RFC 6750 §3, OpenID4VCI §8.3.1.2), not problem+json, so that existing wallets understand them.
 */

export const PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
const PROOF_TYP = "openid4vci-proof+jwt";
/** How far a key proof's `iat` may be from the server clock. */
const PROOF_MAX_SKEW_SECONDS = 300;

/** The part of the issuer service the offer flow uses (structural, so tests may pass a double). */
export interface OfferIssuingService {
  authenticate(token: string): Promise<{ id: string }> | { id: string };
  issue(
    issuerId: string,
    request: never,
    opts?: { di?: boolean; sdJwt?: boolean; offerId?: string; checkBackdated?: boolean },
  ): Promise<{
    id: string;
    jwt: string;
    receipt: unknown;
    status?: unknown;
    di?: { credential: Record<string, unknown>; receipt: unknown };
    sdJwt?: { credential: string; receipt: unknown };
  }>;
}

export interface Oid4vciOptions {
  service: OfferIssuingService;
  offers: OfferStore;
  /** The Credential Issuer Identifier (§12.2.1): the server's public base URL. Derived from the request when absent. */
  baseUrl?: string;
  now?: () => Date;
}

/** The credential configurations the metadata publishes: one per meritlog credential type. */
const CREDENTIAL_CONFIGURATIONS = {
  MicroCredential: "Micro-credential",
  Attribution: "Contribution attribution",
  MPUAuthorship: "MPU authorship",
} as const;

type OAuthError =
  | "invalid_request"
  | "invalid_grant"
  | "unsupported_grant_type"
  | "invalid_token"
  | "invalid_credential_request"
  | "unknown_credential_configuration"
  | "unknown_credential_identifier"
  | "invalid_proof"
  | "invalid_nonce"
  | "credential_request_denied";

function oauthError(
  reply: FastifyReply,
  status: number,
  error: OAuthError,
  description: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  void reply.header("cache-control", "no-store");
  if (error === "invalid_token")
    void reply.header(
      "www-authenticate",
      `Bearer error="invalid_token", error_description="${description.replace(/"/g, "'")}"`,
    );
  return reply
    .code(status)
    .type("application/json")
    .send({ error, error_description: description, ...extra });
}

function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  const m = typeof h === "string" ? /^(?:Bearer|DPoP)\s+(\S+)$/i.exec(h.trim()) : null;
  return m?.[1];
}

// --- holder key from the proof header: did:key (kid) or an Ed25519 jwk (RFC 8037) ---
interface HolderKey {
  did: string;
  publicKey: Uint8Array;
}

/**
 * The key proof's JOSE header rules (OpenID4VCI 1.0 Appendix F.1), checked by core's one header
 * checker like every other JWS: EdDSA only, typ "openid4vci-proof+jwt" required, and only the
 * members that name the holder key (kid or jwk); x5c, trust_chain, crit and the rest are refused.
 */
const PROOF_HEADER_RULES: JwsHeaderRules = {
  algorithms: ["EdDSA"],
  members: ["alg", "kid", "jwk", "typ"],
  typ: [PROOF_TYP],
  typRequired: true,
};
/** Upper bound on a key proof (characters): a header, a few claims and a signature. */
const MAX_PROOF_JWT_LENGTH = 8 * 1024;

function holderKey(header: Record<string, unknown>): HolderKey | string {
  const kid = header.kid;
  const jwk = header.jwk;
  if (kid !== undefined && jwk !== undefined) return "the proof must carry either kid or jwk, not both";
  if (typeof kid === "string") {
    const m = /^(did:key:z[1-9A-HJ-NP-Za-km-z]+)(?:#(z[1-9A-HJ-NP-Za-km-z]+))?$/.exec(kid);
    if (!m || (m[2] !== undefined && `did:key:${m[2]}` !== m[1]))
      return "kid must be an Ed25519 did:key (with its own key as fragment)";
    try {
      const key = decodeDidKey(m[1]!);
      if (key.type !== "Ed25519") return "kid must be an Ed25519 did:key";
      return { did: encodeDidKey(key), publicKey: key.publicKey };
    } catch {
      return "kid must be an Ed25519 did:key";
    }
  }
  if (jwk !== undefined) {
    const key = publicKeyFromJwk(jwk);
    if (key?.type !== "Ed25519") return "jwk must be a public Ed25519 OKP key";
    return { did: encodeDidKey(key), publicKey: key.publicKey };
  }
  return "the proof names no key (kid or jwk)";
}

type ProofCheck =
  { ok: true; holder: HolderKey; nonce: string | undefined } | { ok: false; description: string };

/** OpenID4VCI 1.0 Appendix F.1 + F.4: the `jwt` key proof, checked before anything is consumed. */
async function checkProof(jwt: string, audience: string, now: Date): Promise<ProofCheck> {
  let d: DecodedJws;
  try {
    d = decodeJws(jwt, MAX_PROOF_JWT_LENGTH);
  } catch (e) {
    if (isCoreError(e, "jws.header_json", "jws.payload_json"))
      return { ok: false, description: "the proof header or payload is not JSON" };
    if (isCoreError(e)) return { ok: false, description: "the proof is not a compact JWS" };
    throw e;
  }
  const problem = checkJwsHeader(d.header, PROOF_HEADER_RULES);
  if (problem?.code === "jws.typ") return { ok: false, description: `the proof typ must be ${PROOF_TYP}` };
  if (problem?.code === "jws.alg_not_allowed")
    return { ok: false, description: "the proof must be signed with EdDSA (Ed25519)" };
  if (problem)
    return {
      ok: false,
      description: `${problem.message} (only did:key (kid) or an Ed25519 jwk identify the holder key here)`,
    };
  const holder = holderKey(d.header);
  if (typeof holder === "string") return { ok: false, description: holder };
  // Not a hot path (one proof per credential request): verified through jose, as core does by default.
  if (!(await verifyJwsSignature(d, { type: "Ed25519", publicKey: holder.publicKey }))) {
    return { ok: false, description: "the proof signature does not verify with the key it names" };
  }
  const payload = d.payload;
  const aud = payload.aud;
  if (!(aud === audience || (Array.isArray(aud) && aud.includes(audience))))
    return { ok: false, description: `the proof aud must be ${audience}` };
  if (typeof payload.iat !== "number") return { ok: false, description: "the proof has no iat" };
  if (Math.abs(payload.iat - now.getTime() / 1000) > PROOF_MAX_SKEW_SECONDS)
    return { ok: false, description: "the proof iat is too far from the current time" };
  if (typeof payload.exp === "number" && payload.exp < now.getTime() / 1000 - PROOF_MAX_SKEW_SECONDS)
    return { ok: false, description: "the proof has expired" };
  return { ok: true, holder, nonce: typeof payload.nonce === "string" ? payload.nonce : undefined };
}

/** Suffix of the `ldp_vc` (Data Integrity) configuration of each type: `MicroCredential_ldp_vc`. */
const LDP_VC_SUFFIX = "_ldp_vc";

/**
 * The meritlog extension parameter of a `jwt_vc_json` credential request (OpenID4VCI 1.0 §8.2:
 * an issuer ignores parameters it does not know, so other issuers and old wallets are unaffected):
 * `"also_formats": ["vc+sd-jwt"]` asks for the SD-JWT form too, returned beside the VC-JWT as
 * `sdJwt: {credential, receipt}` (docs/API.md "SD-JWT: the learner chooses what to show"). One
 * offer, one token, both forms of the same credential: the learner's wallet keeps the VC-JWT for
 * shares and status and presents the SD-JWT when it withholds fields.
 */
const ALSO_SD_JWT = "vc+sd-jwt";

/**
 * Issuer metadata (OpenID4VCI 1.0 §12.2.4) for the three meritlog credential types, each offered
 * as `jwt_vc_json` (configuration id = the type) and as `ldp_vc` (Appendix A.1.2: a Data Integrity
 * credential, `eddsa-rdfc-2022`; configuration id `<type>_ldp_vc`). An offer names the type; the
 * wallet chooses the format in its credential request.
 */
export function credentialIssuerMetadata(base: string): Record<string, unknown> {
  const configs: Record<string, unknown> = {};
  for (const [id, name] of Object.entries(CREDENTIAL_CONFIGURATIONS)) {
    configs[`${id}${LDP_VC_SUFFIX}`] = {
      format: "ldp_vc",
      scope: `${id}${LDP_VC_SUFFIX}`,
      cryptographic_binding_methods_supported: ["did:key"],
      credential_signing_alg_values_supported: ["eddsa-rdfc-2022"],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["EdDSA"] } },
      credential_definition: {
        "@context": [...CREDENTIAL_CONTEXTS],
        type: ["VerifiableCredential", "OpenBadgeCredential", id],
      },
      credential_metadata: {
        display: [
          {
            name,
            locale: "en",
            description: "A scoped, non-certifying record; see the no-conversion notice in the credential.",
          },
        ],
      },
      display: [{ name, locale: "en" }],
    };
    configs[id] = {
      format: "jwt_vc_json",
      scope: id,
      cryptographic_binding_methods_supported: ["did:key"],
      credential_signing_alg_values_supported: ["EdDSA"],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["EdDSA"] } },
      credential_definition: { type: ["VerifiableCredential", "OpenBadgeCredential", id] },
      credential_metadata: {
        display: [
          {
            name,
            locale: "en",
            description: "A scoped, non-certifying record; see the no-conversion notice in the credential.",
          },
        ],
      },
      display: [{ name, locale: "en" }],
    };
  }
  return {
    credential_issuer: base,
    credential_endpoint: `${base}/oid4vci/credential`,
    nonce_endpoint: `${base}/oid4vci/nonce`,
    // Not part of §12.2.4 (the token endpoint lives in RFC 8414 metadata), kept for draft-13 wallets.
    token_endpoint: `${base}/oid4vci/token`,
    display: [{ name: "meritlog", locale: "en" }],
    credential_configurations_supported: configs,
  };
}

const CORS_PATHS: readonly string[] = OID4VCI_CORS_PATHS;

/**
 * The offer and claim routes. Registered encapsulated (not through fastify-plugin), so its
 * form-body parser stays local to these routes.
 */
export const oid4vciRoutes: FastifyPluginAsync<Oid4vciOptions> = async (
  app: FastifyInstance,
  opts: Oid4vciOptions,
) => {
  const { service, offers } = opts;
  const now = opts.now ?? (() => new Date());
  const baseOf = (request: FastifyRequest): string =>
    (opts.baseUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, "");

  // RFC 6749 §4.1.3: the token request is application/x-www-form-urlencoded.
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 16 * 1024 },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );

  // Browser wallets on other origins need CORS on the public protocol endpoints (no cookies are used).
  app.addHook("onSend", async (request, reply) => {
    if (request.routeOptions.url && CORS_PATHS.includes(request.routeOptions.url)) {
      void reply.header("access-control-allow-origin", "*");
      void reply.header("access-control-expose-headers", "www-authenticate");
    }
  });
  for (const path of CORS_PATHS) {
    app.options(path, async (_request, reply) =>
      reply
        .code(204)
        .header("access-control-allow-methods", "GET, POST, OPTIONS")
        .header("access-control-allow-headers", "authorization, content-type, dpop")
        .header("access-control-max-age", "600")
        .send(),
    );
  }

  // docs/API.md "Body limits": an offer body is a credential body (64 KiB). Only the Bearer scheme
  // carries an issuer token (RFC 6750 §2.1); DPoP is for OpenID4VCI access tokens.
  app.post("/v1/offers", { bodyLimit: CREDENTIAL_BODY_LIMIT }, async (request, reply) => {
    const presented = /^Bearer$/i.test(request.headers.authorization?.trim().split(/\s+/)[0] ?? "")
      ? bearer(request)
      : undefined;
    if (presented === undefined)
      throw new IssuerError("auth.missing_token", "send Authorization: Bearer <issuer token>");
    const issuer = await service.authenticate(presented);
    // Validated exactly as POST /v1/credentials validates a credential (offer-requests.ts).
    const { request: body, options } = parseOfferBody(request.body, now());
    const created = await offers.create(issuer.id, body, options);
    return reply
      .code(201)
      .header("cache-control", "no-store")
      .send(offerResponse(created, baseOf(request)));
  });

  app.get<{ Params: { offerId: string } }>("/oid4vci/offers/:offerId", async (request, reply) => {
    const found = await offers.lookup(request.params.offerId);
    if (!found)
      return oauthError(
        reply,
        404,
        "invalid_request",
        "this offer does not exist, was already used, or has expired",
      );
    // OpenID4VCI 1.0 §4.1.1: `tx_code` tells the wallet to ask for the code sent by another channel.
    const txCode =
      found.offer.txCodeHash === undefined
        ? {}
        : {
            tx_code: {
              input_mode: "numeric",
              length: TX_CODE_LENGTH,
              description: "The 6-digit code your issuer gave you with this link",
            },
          };
    return reply.header("cache-control", "no-store").send({
      credential_issuer: baseOf(request),
      credential_configuration_ids: [found.offer.configurationId],
      grants: { [PRE_AUTHORIZED_GRANT]: { "pre-authorized_code": found.preAuthorizedCode, ...txCode } },
    });
  });

  app.get("/.well-known/openid-credential-issuer", async (request, reply) =>
    reply.header("cache-control", "public, max-age=300").send(credentialIssuerMetadata(baseOf(request))),
  );

  app.get("/.well-known/oauth-authorization-server", async (request, reply) => {
    const base = baseOf(request);
    return reply.header("cache-control", "public, max-age=300").send({
      issuer: base,
      token_endpoint: `${base}/oid4vci/token`,
      grant_types_supported: [PRE_AUTHORIZED_GRANT],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ["none"],
      "pre-authorized_grant_anonymous_access_supported": true,
    });
  });

  app.post("/oid4vci/token", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body !== "object" || Array.isArray(body))
      return oauthError(
        reply,
        400,
        "invalid_request",
        "the token request must be form-encoded or a JSON object",
      );
    if (typeof body.grant_type !== "string")
      return oauthError(reply, 400, "invalid_request", "grant_type is required");
    if (body.grant_type !== PRE_AUTHORIZED_GRANT)
      return oauthError(reply, 400, "unsupported_grant_type", `only ${PRE_AUTHORIZED_GRANT} is supported`);
    const code = body["pre-authorized_code"];
    if (typeof code !== "string" || code.length === 0)
      return oauthError(reply, 400, "invalid_request", "pre-authorized_code is required");
    const txCode = body.tx_code;
    if (txCode !== undefined && typeof txCode !== "string")
      return oauthError(reply, 400, "invalid_request", "tx_code must be a string");
    const r = await offers.redeem(code, txCode);
    if ("error" in r) {
      // OpenID4VCI 1.0 §6.3: a wrong or missing tx_code, like an expired code, is invalid_grant.
      const description =
        r.error === "expired"
          ? `this offer expired on ${r.expiresAt}; ask your issuer for a new link`
          : r.error === "cancelled"
            ? "this offer was cancelled by the issuer"
            : r.error === "tx_code_required"
              ? "this offer needs the 6-digit code (tx_code) the issuer sent with it"
              : r.error === "tx_code_wrong"
                ? r.triesLeft > 0
                  ? `the code (tx_code) is wrong; ${r.triesLeft} ${r.triesLeft === 1 ? "try" : "tries"} left`
                  : "the code (tx_code) was wrong five times; this offer is cancelled, ask your issuer for a new link"
                : "the pre-authorized code is unknown or was already used";
      return oauthError(reply, 400, "invalid_grant", description);
    }
    return reply.header("cache-control", "no-store").header("pragma", "no-cache").send({
      access_token: r.grant.accessToken,
      token_type: "Bearer",
      expires_in: r.grant.expiresIn,
      c_nonce: r.grant.cNonce,
      c_nonce_expires_in: r.grant.cNonceExpiresIn,
    });
  });

  app.post("/oid4vci/nonce", async (_request, reply) => {
    const n = await offers.nonce();
    return reply
      .header("cache-control", "no-store")
      .send({ c_nonce: n.cNonce, c_nonce_expires_in: n.expiresIn });
  });

  app.post("/oid4vci/credential", async (request, reply) => {
    const token = bearer(request);
    if (!token)
      return oauthError(reply, 401, "invalid_token", "an access token from the token endpoint is required");
    const current = await offers.peekToken(token);
    if (!current)
      return oauthError(
        reply,
        401,
        "invalid_token",
        "the access token is unknown, expired, or was already used",
      );
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body !== "object" || Array.isArray(body))
      return oauthError(
        reply,
        400,
        "invalid_credential_request",
        "the credential request must be a JSON object",
      );
    if (body.credential_identifier !== undefined)
      return oauthError(
        reply,
        400,
        "unknown_credential_identifier",
        "credential identifiers are not used by this issuer",
      );
    const configId = body.credential_configuration_id;
    const offered = current.offer.configurationId;
    if (configId !== undefined && configId !== offered && configId !== `${offered}${LDP_VC_SUFFIX}`) {
      return oauthError(
        reply,
        400,
        "unknown_credential_configuration",
        `this access token is for ${offered} (jwt_vc_json) or ${offered}${LDP_VC_SUFFIX} (ldp_vc)`,
      );
    }
    if (body.format !== undefined && body.format !== "jwt_vc_json" && body.format !== "ldp_vc")
      return oauthError(reply, 400, "unknown_credential_configuration", "jwt_vc_json and ldp_vc are issued");
    // The Data Integrity form when the request names the ldp_vc configuration (1.0) or format (draft 13).
    const ldp = configId === `${offered}${LDP_VC_SUFFIX}` || body.format === "ldp_vc";
    const also = body.also_formats;
    if (also !== undefined && (!Array.isArray(also) || also.some((f) => f !== ALSO_SD_JWT)))
      return oauthError(
        reply,
        400,
        "invalid_credential_request",
        `also_formats may only list "${ALSO_SD_JWT}"`,
      );
    const alsoSdJwt = !ldp && also !== undefined && also.length > 0;

    // 1.0: {proofs: {jwt: [..]}}; draft 13: {proof: {proof_type: "jwt", jwt}}.
    let jwts: unknown[] | undefined;
    const proofs = body.proofs as Record<string, unknown> | undefined;
    const proof = body.proof as Record<string, unknown> | undefined;
    if (proofs !== undefined && proof !== undefined)
      return oauthError(reply, 400, "invalid_credential_request", "send proof or proofs, not both");
    if (proofs && typeof proofs === "object") {
      const types = Object.keys(proofs);
      if (types.length !== 1 || !Array.isArray(proofs.jwt))
        return oauthError(reply, 400, "invalid_proof", "only the jwt proof type is supported");
      jwts = proofs.jwt as unknown[];
    } else if (proof && typeof proof === "object") {
      if (proof.proof_type !== "jwt")
        return oauthError(reply, 400, "invalid_proof", "only the jwt proof type is supported");
      jwts = [proof.jwt];
    }
    if (!jwts || jwts.length === 0)
      return oauthError(
        reply,
        400,
        "invalid_proof",
        "a key proof (proofs.jwt) is required to bind the credential to the holder",
      );
    if (jwts.length > 1)
      return oauthError(
        reply,
        400,
        "invalid_credential_request",
        "batch issuance is not supported: send one proof",
      );
    if (typeof jwts[0] !== "string")
      return oauthError(reply, 400, "invalid_proof", "the proof must be a compact JWS string");

    const checked = await checkProof(jwts[0], baseOf(request), now());
    if (!checked.ok) return oauthError(reply, 400, "invalid_proof", checked.description);
    // An offer bound to one holder (a co-author's MPUAuthorship) issues only to that DID's key;
    // nothing is consumed, so the author's own wallet can still redeem it.
    if (current.offer.holder !== undefined && current.offer.holder !== checked.holder.did)
      return oauthError(reply, 400, "invalid_proof", "this offer is for another holder key");
    const nonceState =
      checked.nonce === undefined ? "unknown" : await offers.consumeNonce(checked.nonce, token);
    if (nonceState !== "ok") {
      const fresh = await offers.nonce(token);
      return oauthError(
        reply,
        400,
        "invalid_nonce",
        checked.nonce === undefined
          ? "the proof must contain the c_nonce"
          : `the c_nonce is ${nonceState === "expired" ? "expired" : "unknown or already used"}`,
        {
          c_nonce: fresh.cNonce,
          c_nonce_expires_in: fresh.expiresIn,
        },
      );
    }

    const claim = await offers.claimToken(token);
    if ("error" in claim)
      return oauthError(
        reply,
        401,
        "invalid_token",
        "the access token is unknown, expired, or already being used",
      );
    let issued = false;
    const offerId = claim.token.offer.id;
    let held = false;
    try {
      // Re-read the offer and hold it: its record may have changed since the token endpoint copied
      // it into the access token. An offer the issuer cancelled after the link was opened must not
      // turn into a credential (docs/API.md "Offers that survive real delivery": a cancelled link is
      // dead), and a cancel that comes while the credential is being issued is refused (409) rather
      // than reported done over a credential that exists (issue 11, the cancel/redeem race).
      const offerNow = offerId ? await offers.startRedemption(offerId) : "held";
      if (offerNow !== "held") {
        // Nothing was issued, and the token is spent: the offer behind it is dead for good.
        issued = true;
        return oauthError(
          reply,
          400,
          "credential_request_denied",
          offerNow === "cancelled"
            ? "this offer was cancelled by the issuer; ask your issuer for a new link"
            : `this offer is ${offerNow}; ask your issuer for a new link`,
          { code: "offer.not_pending" },
        );
      }
      held = offerId !== undefined && offerId !== "";
      // The holder's DID becomes the subject (and the MPU's "holder" author: HOLDER_AUTHOR).
      const request2 = offerToIssueRequest(
        claim.token.offer.request as unknown as OfferRequest,
        checked.holder.did,
      );
      // validFrom was checked when the offer was made; days later it is rightly in the past.
      const result = await service.issue(claim.token.offer.issuerId, request2 as never, {
        ...(offerId ? { offerId } : {}),
        checkBackdated: false,
        ...(ldp ? { di: true } : {}),
        ...(alsoSdJwt ? { sdJwt: true } : {}),
      });
      issued = true;
      if (offerId) await offers.markRedeemed(offerId, result.id);
      held = false;
      if (ldp && result.di) {
        return await reply.header("cache-control", "no-store").send({
          credentials: [{ credential: result.di.credential }],
          credential: result.di.credential,
          format: "ldp_vc",
          credentialId: result.id,
          receipt: result.di.receipt,
          status: result.status,
        });
      }
      return await reply.header("cache-control", "no-store").send({
        credentials: [{ credential: result.jwt }],
        // draft-13 wallets read `credential` and `format`; meritlog extensions: `credentialId`, `receipt`, `status`.
        credential: result.jwt,
        format: "jwt_vc_json",
        credentialId: result.id,
        receipt: result.receipt,
        status: result.status,
        ...(result.sdJwt
          ? { sdJwt: { credential: result.sdJwt.credential, receipt: result.sdJwt.receipt } }
          : {}),
      });
    } finally {
      // A redemption that issued nothing lets go of its offer: the issuer may cancel or reissue it.
      if (held && !issued && offerId) await offers.abortRedemption(offerId);
      await claim.finish(issued);
    }
  });
};
