import { WalletError } from "./errors.js";
import { parseJson } from "./encoding.js";
import { didKeyVerificationMethod } from "./did-key.js";
import { signJwt } from "./jwt.js";
import {
  checkFetchUrl,
  parseCredentialOffer,
  PRE_AUTHORIZED_GRANT,
  type CredentialOffer,
  type OfferRef,
} from "./offer.js";
import type { Holder } from "./presentation.js";
import type { ReceiptData } from "./records.js";

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** What the issuer handed over: the VC-JWT, its anchoring receipt, and where it came from. */
export interface ClaimResult {
  jwt: string;
  receipt?: ReceiptData;
  credentialIssuer: string;
  configurationId: string;
  /** The same credential's SD-JWT form (`vc+sd-jwt`), when the issuer delivered it (meritlog's `also_formats`). */
  sdJwt?: string;
}

async function fetchJson(
  fetchFn: Fetch,
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetchFn(url, {
      ...init,
      headers: { accept: "application/json", ...(init.headers as Record<string, string> | undefined) },
    });
  } catch (cause) {
    throw new WalletError(
      "claim.http",
      `Could not reach ${new URL(url).host}. Check the connection and try again.`,
      { cause },
    );
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  if (text) {
    const j = parseJson(text, "claim.malformed_response");
    if (j && typeof j === "object") body = j as Record<string, unknown>;
  }
  return { status: res.status, body };
}

/** Explains an OAuth / OpenID4VCI error response (RFC 6749 §5.2, OpenID4VCI 1.0 §8.3.1.2). */
function refusal(step: string, status: number, body: Record<string, unknown>): WalletError {
  const code =
    typeof body.error === "string"
      ? body.error
      : typeof body.code === "string"
        ? body.code
        : `HTTP ${status}`;
  const desc =
    typeof body.error_description === "string"
      ? body.error_description
      : typeof body.detail === "string"
        ? body.detail
        : "";
  const plain: Record<string, string> = {
    invalid_grant: "This offer has already been used or has expired. Ask the issuer for a new one.",
    invalid_nonce: "The issuer asked for a fresh proof; please try again.",
    invalid_proof: "The issuer did not accept this wallet's proof of key.",
    invalid_token: "The issuer's access permission expired; ask the issuer for a new offer.",
  };
  return new WalletError(
    "claim.refused",
    `${step}: ${plain[code] ?? "the issuer refused the request."} (${code}${desc ? `: ${desc}` : ""})`,
  );
}

/**
 * Runs the OpenID4VCI 1.0 pre-authorized code flow: offer → issuer metadata (§12.2) → token
 * (§6) → nonce (§7, or the token response's c_nonce) → credential request with a `jwt` key
 * proof (Appendix F.1) signed by the holder key.
 * @throws WalletError offer.*, claim.*
 */
export async function claimOffer(
  ref: OfferRef,
  holder: Holder,
  o: {
    fetch: Fetch;
    ownOrigin?: string;
    now?: () => Date;
    /** Asks the person for the offer's transaction code (OpenID4VCI 1.0 §4.1.1 `tx_code`); null when they give none. */
    askTxCode?: (spec: NonNullable<CredentialOffer["txCode"]>) => Promise<string | null>;
  },
): Promise<ClaimResult> {
  const now = o.now ?? (() => new Date());
  let offer: CredentialOffer;
  if (ref.kind === "reference") {
    const r = await fetchJson(o.fetch, ref.uri);
    if (r.status === 404)
      throw new WalletError(
        "claim.refused",
        "This offer has already been used or has expired. Ask the issuer for a new one.",
      );
    if (r.status !== 200) throw refusal("Opening the offer", r.status, r.body);
    offer = parseCredentialOffer(r.body);
  } else {
    offer = ref.offer;
  }
  // §4.1.1: the code came to the learner by another channel (SMS, paper); §6.1 sends it as tx_code.
  let txCode: string | undefined;
  if (offer.txCode) {
    if (!o.askTxCode)
      throw new WalletError(
        "offer.unsupported",
        "This offer needs a transaction code, which this wallet does not support yet.",
      );
    const given = await o.askTxCode(offer.txCode);
    if (given === null || given.trim() === "")
      throw new WalletError("claim.refused", "This offer needs the code your issuer gave you with the link.");
    txCode = given.trim();
  }
  const issuer = checkFetchUrl(offer.credentialIssuer, o.ownOrigin).replace(/\/+$/, "");

  const meta = await fetchJson(o.fetch, `${issuer}/.well-known/openid-credential-issuer`);
  if (meta.status !== 200) throw refusal("Reading the issuer's details", meta.status, meta.body);
  if (meta.body.credential_issuer !== offer.credentialIssuer && meta.body.credential_issuer !== issuer) {
    throw new WalletError("claim.malformed_response", "The issuer's details do not match the offer.");
  }
  const credentialEndpoint = endpoint(meta.body.credential_endpoint, o.ownOrigin);
  const tokenEndpoint = await findTokenEndpoint(o.fetch, issuer, meta.body, o.ownOrigin);
  const configurationId = offer.configurationIds[0]!;

  const form = new URLSearchParams({
    grant_type: PRE_AUTHORIZED_GRANT,
    "pre-authorized_code": offer.preAuthorizedCode,
    ...(txCode !== undefined ? { tx_code: txCode } : {}),
  });
  const tok = await fetchJson(o.fetch, tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  if (tok.status !== 200 || typeof tok.body.access_token !== "string")
    throw refusal("Exchanging the offer code", tok.status, tok.body);
  const accessToken = tok.body.access_token;
  let nonce = typeof tok.body.c_nonce === "string" ? tok.body.c_nonce : undefined;
  if (!nonce && typeof meta.body.nonce_endpoint === "string")
    nonce = await freshNonce(o.fetch, endpoint(meta.body.nonce_endpoint, o.ownOrigin));

  for (let attempt = 0; attempt < 2; attempt++) {
    const proof = await signJwt(
      { typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: didKeyVerificationMethod(holder.did) },
      { aud: offer.credentialIssuer, iat: Math.floor(now().getTime() / 1000), ...(nonce ? { nonce } : {}) },
      holder.sign,
    );
    const res = await fetchJson(o.fetch, credentialEndpoint, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` },
      // `also_formats` (docs/API.md "Wallet offers in detail"): meritlog issuers add the SD-JWT form,
      // which lets the learner withhold fields later; other issuers ignore it (OpenID4VCI 1.0 §8.2).
      body: JSON.stringify({
        credential_configuration_id: configurationId,
        proofs: { jwt: [proof] },
        also_formats: ["vc+sd-jwt"],
      }),
    });
    if (res.status === 400 && res.body.error === "invalid_nonce" && attempt === 0) {
      nonce =
        typeof res.body.c_nonce === "string"
          ? res.body.c_nonce
          : typeof meta.body.nonce_endpoint === "string"
            ? await freshNonce(o.fetch, endpoint(meta.body.nonce_endpoint, o.ownOrigin))
            : undefined;
      if (nonce) continue;
    }
    if (res.status !== 200) throw refusal("Receiving the credential", res.status, res.body);
    const list = res.body.credentials;
    const first = Array.isArray(list)
      ? (list[0] as Record<string, unknown> | undefined)?.credential
      : res.body.credential;
    if (typeof first !== "string")
      throw new WalletError("claim.malformed_response", "The issuer's answer contains no credential.");
    const out: ClaimResult = { jwt: first, credentialIssuer: offer.credentialIssuer, configurationId };
    if (res.body.receipt && typeof res.body.receipt === "object")
      out.receipt = res.body.receipt as ReceiptData;
    const sd = (res.body.sdJwt as { credential?: unknown } | undefined)?.credential;
    if (typeof sd === "string" && sd.includes("~")) out.sdJwt = sd;
    return out;
  }
  throw new WalletError("claim.refused", "The issuer kept refusing the proof of key.");
}

function endpoint(v: unknown, ownOrigin?: string): string {
  if (typeof v !== "string")
    throw new WalletError("claim.malformed_response", "The issuer's details lack an endpoint.");
  return checkFetchUrl(v, ownOrigin);
}

async function freshNonce(fetchFn: Fetch, url: string): Promise<string> {
  const r = await fetchJson(fetchFn, url, { method: "POST" });
  if (r.status !== 200 || typeof r.body.c_nonce !== "string")
    throw refusal("Getting a fresh nonce", r.status, r.body);
  return r.body.c_nonce;
}

/** RFC 8414 metadata of the authorization server, unless the issuer names a token endpoint itself. */
async function findTokenEndpoint(
  fetchFn: Fetch,
  issuer: string,
  meta: Record<string, unknown>,
  ownOrigin?: string,
): Promise<string> {
  if (typeof meta.token_endpoint === "string") return endpoint(meta.token_endpoint, ownOrigin);
  const servers = Array.isArray(meta.authorization_servers)
    ? (meta.authorization_servers as unknown[])
    : [issuer];
  const as = typeof servers[0] === "string" ? servers[0].replace(/\/+$/, "") : issuer;
  const u = new URL(as);
  const r = await fetchJson(
    fetchFn,
    `${u.origin}/.well-known/oauth-authorization-server${u.pathname === "/" ? "" : u.pathname}`,
  );
  if (r.status === 200 && typeof r.body.token_endpoint === "string")
    return endpoint(r.body.token_endpoint, ownOrigin);
  throw new WalletError(
    "claim.malformed_response",
    "The issuer does not say where to exchange the offer code.",
  );
}
