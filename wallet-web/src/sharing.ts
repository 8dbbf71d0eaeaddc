// Lasting share links and answers to verifier requests (docs/API.md "Sharing that survives
// email"). A share is made and withdrawn with a holder proof: a compact JWS by the holder's key
// over {aud, credentialId, iat, nonce}; a request is read by reference and answered with
// `direct_post` (OpenID4VP 1.0 §5.10, §8.2).
import { WalletError } from "./errors.js";
import { randomBytes, toBase64Url } from "./encoding.js";
import { didKeyVerificationMethod } from "./did-key.js";
import { signJwt } from "./jwt.js";
import type { Holder } from "./presentation.js";
import type { Fetch } from "./claim.js";

/** A holder proof for `credentialId` at the service `aud`, fresh now, with a single-use nonce. */
export async function holderProof(
  holder: Holder,
  aud: string,
  credentialId: string,
  now = new Date(),
): Promise<string> {
  return signJwt(
    { alg: "EdDSA", kid: didKeyVerificationMethod(holder.did), typ: "JWT" },
    { aud, credentialId, iat: Math.floor(now.getTime() / 1000), nonce: toBase64Url(randomBytes(16)) },
    holder.sign,
  );
}

/** One JSON call; a refusal carries the server's problem detail under `code`. */
export async function send(
  fetchFn: Fetch,
  url: string,
  method: string,
  body: unknown,
  code: "share.refused" | "request.refused" | "cosign.refused",
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetchFn(url, {
      method,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
  } catch (cause) {
    throw new WalletError("claim.http", `Could not reach ${new URL(url).host}.`, { cause });
  }
  const data = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok || !data)
    throw new WalletError(
      code,
      typeof data?.detail === "string" ? data.detail : `${new URL(url).pathname} answered ${res.status}.`,
    );
  return data;
}

export interface CreatedShare {
  id: string;
  url: string;
  expiresAt: string;
}

/** `POST /v1/shares`: a lasting link to one credential. */
export async function createShare(
  baseUrl: string,
  jwt: string,
  credentialId: string,
  holder: Holder,
  expiresIn: number | undefined,
  fetchFn: Fetch,
): Promise<CreatedShare> {
  const proof = await holderProof(holder, baseUrl, credentialId);
  const d = await send(
    fetchFn,
    `${baseUrl}/v1/shares`,
    "POST",
    { credential: jwt, proof, ...(expiresIn ? { expiresIn } : {}) },
    "share.refused",
  );
  if (typeof d.id !== "string" || typeof d.url !== "string" || typeof d.expiresAt !== "string")
    throw new WalletError("claim.malformed_response", "The share answer is incomplete.");
  return { id: d.id, url: d.url, expiresAt: d.expiresAt };
}

/** `DELETE /v1/shares/{id}` with a fresh holder proof. */
export async function withdrawShare(
  baseUrl: string,
  id: string,
  credentialId: string,
  holder: Holder,
  fetchFn: Fetch,
): Promise<void> {
  const proof = await holderProof(holder, baseUrl, credentialId);
  await send(fetchFn, `${baseUrl}/v1/shares/${encodeURIComponent(id)}`, "DELETE", { proof }, "share.refused");
}

/** A verifier's request object, as fetched from its `request_uri`. */
export interface PresentationRequest {
  requestUri: string;
  clientId: string;
  responseUri: string;
  nonce: string;
  audience: string;
  purpose: string;
  types?: string[];
  expiresAt?: string;
}

/**
 * The `request_uri` of a request link (`…/wallet/#request_uri=<url>`), or the URL itself.
 * @throws WalletError request.malformed
 */
export function requestUriOf(input: string): string {
  const text = input.trim();
  const i = text.indexOf("#");
  const params = new URLSearchParams(i >= 0 ? text.slice(i + 1) : "");
  const uri =
    params.get("request_uri") ?? (/^https?:\/\//.test(text) && !text.includes("/wallet/") ? text : null);
  if (!uri || !/^https?:\/\//.test(uri))
    throw new WalletError(
      "request.malformed",
      "This is not a request link. It should contain “request_uri=”.",
    );
  return uri;
}

/** Fetches a request object; its `response_uri` must be on the same origin as the request. */
export async function fetchRequest(requestUri: string, fetchFn: Fetch): Promise<PresentationRequest> {
  let res: Response;
  try {
    res = await fetchFn(requestUri, { headers: { accept: "application/json" }, cache: "no-store" });
  } catch (cause) {
    throw new WalletError("claim.http", `Could not reach ${new URL(requestUri).host}.`, { cause });
  }
  const d = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok || !d)
    throw new WalletError(
      "request.refused",
      typeof d?.detail === "string" ? d.detail : `The request could not be read (${res.status}).`,
    );
  const { nonce, audience, purpose, response_uri: responseUri, client_id: clientId } = d;
  if (
    typeof nonce !== "string" ||
    typeof audience !== "string" ||
    typeof purpose !== "string" ||
    typeof responseUri !== "string" ||
    typeof clientId !== "string"
  ) {
    throw new WalletError("request.malformed", "The request is incomplete.");
  }
  // The answer goes only where the request came from (OpenID4VP 1.0 §8.2: response_uri is the verifier's).
  if (new URL(responseUri).origin !== new URL(requestUri).origin)
    throw new WalletError(
      "request.malformed",
      "The request asks to send the answer to another site; it was not answered.",
    );
  const r: PresentationRequest = { requestUri, clientId, responseUri, nonce, audience, purpose };
  if (Array.isArray(d.types)) r.types = d.types.filter((t): t is string => typeof t === "string");
  if (typeof d.expiresAt === "string") r.expiresAt = d.expiresAt;
  return r;
}

/** `direct_post` of a VP-JWT or SD-JWT presentation to the request's `response_uri`; returns the verifier's verdict. */
export async function answerRequest(
  r: PresentationRequest,
  vp: string,
  fetchFn: Fetch,
): Promise<{ verdict: string; withheld?: string[] }> {
  const d = await send(fetchFn, r.responseUri, "POST", { presentation: vp }, "request.refused");
  const report = d.report as
    { verdict?: unknown; checks?: { disclosure?: { withheld?: unknown } } } | undefined;
  const withheld = report?.checks?.disclosure?.withheld;
  return {
    verdict: typeof report?.verdict === "string" ? report.verdict : "unknown",
    // An SD-JWT answer: the fields the verifier's report names as withheld (docs/API.md).
    ...(Array.isArray(withheld)
      ? { withheld: withheld.filter((w): w is string => typeof w === "string") }
      : {}),
  };
}
