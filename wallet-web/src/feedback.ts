// Mentor feedback (issue 15; docs/API.md "Mentor feedback"): an Open Badges 3.0
// EndorsementCredential a reviewer addresses to this wallet's holder about one of their
// credentials (`evidence` names it). It reaches the wallet as a link (`#feedback=<jwt>&receipt=…`),
// is kept with that credential, and enters a presentation only when the learner adds it.
import { WalletError } from "./errors.js";
import { parseJson } from "./encoding.js";
import type { ReceiptData } from "./records.js";
import { credentialOfJwt } from "./credential-view.js";

/** What the wallet keeps of one piece of feedback (with the credential it is about). */
export interface FeedbackRecord {
  id: string;
  jwt: string;
  receipt: ReceiptData;
  /** The reviewer's DID and name, as signed. */
  issuer: string;
  issuerName?: string;
  comment: string;
  reviewLevel?: string;
  /** When it was given (its `validFrom`). */
  at: string;
}

/** The feedback JWT and receipt of a feedback link's fragment, or undefined when it is not one. */
export function feedbackFromFragment(hash: string): { jwt: string; receipt: ReceiptData } | undefined {
  if (!hash.startsWith("#feedback=")) return undefined;
  const p = new URLSearchParams(hash.slice(1));
  const jwt = p.get("feedback");
  const receipt = p.get("receipt");
  if (!jwt || !receipt) throw new WalletError("encoding.malformed", "This feedback link is incomplete.");
  return { jwt, receipt: parseJson(receipt, "encoding.malformed") as ReceiptData };
}

/**
 * Reads feedback addressed to `holderDid`: an EndorsementCredential whose subject is the holder
 * and whose evidence names the credential it is about. (Its signature, anchoring and status are
 * checked by the caller, as for any credential.)
 * @throws WalletError encoding.malformed
 */
export function readFeedback(
  jwt: string,
  receipt: ReceiptData,
  holderDid: string,
): { about: string; record: FeedbackRecord } {
  const c = credentialOfJwt(jwt);
  const types = Array.isArray(c.type) ? c.type : [c.type];
  const subject = (c.credentialSubject ?? {}) as Record<string, unknown>;
  const about = (Array.isArray(c.evidence) ? (c.evidence[0] as { id?: unknown } | undefined) : undefined)?.id;
  const issuer = (typeof c.issuer === "object" && c.issuer !== null ? c.issuer : { id: c.issuer }) as {
    id?: unknown;
    name?: unknown;
  };
  if (
    !types.includes("EndorsementCredential") ||
    subject.id !== holderDid ||
    typeof subject.endorsementComment !== "string" ||
    typeof about !== "string" ||
    typeof issuer.id !== "string"
  )
    throw new WalletError("encoding.malformed", "This is not feedback addressed to this wallet.");
  return {
    about,
    record: {
      id: String(c.id ?? c.jti),
      jwt,
      receipt,
      issuer: issuer.id,
      ...(typeof issuer.name === "string" ? { issuerName: issuer.name } : {}),
      comment: subject.endorsementComment,
      ...(typeof subject.reviewLevel === "string" ? { reviewLevel: subject.reviewLevel } : {}),
      at: typeof c.validFrom === "string" ? c.validFrom : new Date().toISOString(),
    },
  };
}
