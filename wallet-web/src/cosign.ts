// Co-signing a co-authored MPU (issue 14; docs/API.md "Provenance"): the author opens their sign
// link (`/wallet/#mpu=<GET url>&key=<secret>`), reads the whole statement, and signs it, or a
// refusal with a reason, with the holder key: a compact JWS whose `kid` is their did:key. When the
// last author has signed, the progress carries this author's OpenID4VCI offer (the claim flow).
import { checkFetchUrl } from "./offer.js";
import { didKeyVerificationMethod } from "./did-key.js";
import { signJwt } from "./jwt.js";
import { send } from "./sharing.js";
import type { Holder } from "./presentation.js";
import type { Fetch } from "./claim.js";

export interface CosignLink {
  url: string;
  key: string;
}

/** What `GET /v1/mpus/{id}?key=` answers, as far as the wallet reads it. */
export interface MpuProgress {
  state: "open" | "issued" | "declined";
  statement: {
    issuer: string;
    mpu: Record<string, unknown> & { authors: { id: string; role: string }[] };
  } & Record<string, unknown>;
  statementDigest: string;
  signed: number;
  of: number;
  signatures: { author: string }[];
  declined?: { author: string; reason: string };
  offer?: { walletLink: string };
  credential?: { id: string };
}

/** A sign link (`…/wallet/#mpu=<url>&key=<secret>`), or undefined for none; checked when it is read. */
export function parseCosignLink(href: string): CosignLink | undefined {
  const q = new URLSearchParams(href.slice(href.indexOf("#") + 1));
  const url = q.get("mpu");
  return url ? { url, key: q.get("key") ?? "" } : undefined;
}

/** The MPU's statement and progress, read with the author's link key. */
export async function readCosign(link: CosignLink, fetchFn: Fetch): Promise<MpuProgress> {
  // The view reads the answer inside the app's guard: an unreadable one is reported there.
  const url = `${checkFetchUrl(link.url)}?key=${encodeURIComponent(link.key)}`;
  return (await send(fetchFn, url, "GET", undefined, "cosign.refused")) as unknown as MpuProgress;
}

/**
 * Signs the statement as shown (or, with `reason`, a refusal naming its digest) and sends it.
 * The answer is the new progress, with this author's offer when theirs was the last signature.
 */
export async function decideCosign(
  link: CosignLink,
  p: MpuProgress,
  holder: Holder,
  fetchFn: Fetch,
  reason?: string,
): Promise<MpuProgress> {
  const payload =
    reason === undefined
      ? p.statement
      : { type: "MPUCoAuthorshipDecline", statement: p.statementDigest, reason };
  const jws = await signJwt(
    { alg: "EdDSA", kid: didKeyVerificationMethod(holder.did) },
    payload,
    holder.sign,
  );
  const path = reason === undefined ? "signatures" : "declines";
  return (await send(
    fetchFn,
    `${link.url}/${path}`,
    "POST",
    { jws },
    "cosign.refused",
  )) as unknown as MpuProgress;
}
