import { WalletError } from "./errors.js";
import { parseJson } from "./encoding.js";

/** OpenID4VCI 1.0 §4.1: the grant type of a pre-authorized code offer. */
export const PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
const OFFER_SCHEME = "openid-credential-offer://";

/** Where the offer is: by reference (§4.1.3 `credential_offer_uri`) or by value (§4.1.2 `credential_offer`). */
export type OfferRef = { kind: "reference"; uri: string } | { kind: "value"; offer: CredentialOffer };

/** The parts of an OpenID4VCI 1.0 Credential Offer (§4.1.1) the wallet uses. */
export interface CredentialOffer {
  credentialIssuer: string;
  configurationIds: string[];
  preAuthorizedCode: string;
  /** §4.1.1 `tx_code`: a transaction code is required (meritlog offers never ask for one). */
  txCode?: { input_mode?: string; length?: number; description?: string };
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Checks a URL the wallet will fetch: https, or http only on loopback or the wallet's own origin.
 * @throws WalletError offer.malformed
 */
export function checkFetchUrl(raw: string, ownOrigin?: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch (cause) {
    throw new WalletError("offer.malformed", "The offer link is not a valid address.", { cause });
  }
  const ok =
    u.protocol === "https:" ||
    (u.protocol === "http:" && (LOOPBACK.has(u.hostname) || u.origin === ownOrigin));
  if (!ok) throw new WalletError("offer.malformed", "The offer link must use a secure (https) address.");
  return u.href;
}

/**
 * Reads what a learner pasted, opened or scanned: a wallet link (`…/wallet/#offer=…`), an
 * `openid-credential-offer://?credential_offer_uri=…` or `?credential_offer=…` URI, a plain
 * offer URL, or the offer JSON itself.
 * @throws WalletError offer.malformed
 */
export function parseOfferInput(input: string, ownOrigin?: string): OfferRef {
  const text = input.trim();
  if (!text) throw new WalletError("offer.malformed", "Paste an offer link first.");
  if (text.startsWith("{"))
    return { kind: "value", offer: parseCredentialOffer(parseJson(text, "offer.malformed")) };
  const hash = text.indexOf("#offer=");
  if (hash >= 0)
    return parseOfferInput(safeDecode(text.slice(hash + "#offer=".length).split("&")[0]!), ownOrigin);
  const q = text.indexOf("?");
  const params = new URLSearchParams(q >= 0 ? text.slice(q + 1) : "");
  const byRef = params.get("credential_offer_uri");
  const byValue = params.get("credential_offer");
  if (byRef && byValue) throw new WalletError("offer.malformed", "The offer link carries two offers.");
  if (byValue) return { kind: "value", offer: parseCredentialOffer(parseJson(byValue, "offer.malformed")) };
  if (byRef) return { kind: "reference", uri: checkFetchUrl(byRef, ownOrigin) };
  if (text.startsWith(OFFER_SCHEME) || text.startsWith("openid-credential-offer:")) {
    throw new WalletError("offer.malformed", "The offer link has no offer in it.");
  }
  if (/^https?:\/\//i.test(text)) return { kind: "reference", uri: checkFetchUrl(text, ownOrigin) };
  throw new WalletError("offer.malformed", "This does not look like a credential offer.");
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch (cause) {
    throw new WalletError("offer.malformed", "The offer link is damaged.", { cause });
  }
}

/**
 * Validates a Credential Offer object (OpenID4VCI 1.0 §4.1.1) for the pre-authorized code flow.
 * @throws WalletError offer.malformed, offer.unsupported
 */
export function parseCredentialOffer(json: unknown): CredentialOffer {
  const o = json as Record<string, unknown> | null;
  if (!o || typeof o !== "object" || Array.isArray(o))
    throw new WalletError("offer.malformed", "The offer is not a JSON object.");
  const issuer = o.credential_issuer;
  if (typeof issuer !== "string" || !/^https?:\/\//.test(issuer))
    throw new WalletError("offer.malformed", "The offer does not name its issuer.");
  const ids = o.credential_configuration_ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => typeof x === "string")) {
    throw new WalletError("offer.malformed", "The offer does not say which credential it is for.");
  }
  const grants = o.grants as Record<string, unknown> | undefined;
  const pre = grants?.[PRE_AUTHORIZED_GRANT] as Record<string, unknown> | undefined;
  if (!pre)
    throw new WalletError(
      "offer.unsupported",
      "This offer needs a sign-in flow that this wallet does not support.",
    );
  const code = pre["pre-authorized_code"];
  if (typeof code !== "string" || code.length === 0)
    throw new WalletError("offer.malformed", "The offer has no claim code.");
  const out: CredentialOffer = {
    credentialIssuer: issuer.replace(/\/+$/, ""),
    configurationIds: ids as string[],
    preAuthorizedCode: code,
  };
  if (pre.tx_code && typeof pre.tx_code === "object")
    out.txCode = pre.tx_code as NonNullable<CredentialOffer["txCode"]>;
  return out;
}
