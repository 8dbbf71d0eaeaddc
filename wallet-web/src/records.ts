import type { Sentence } from "@meritlog/verifier/core";
import type { FeedbackRecord } from "./feedback.js";

/** What the wallet stores about one credential (always encrypted at rest, see keystore.ts). */

/** The anchoring receipt returned with every issuance (docs/API.md "Receipt"). */
export interface ReceiptData {
  origin: string;
  leafIndex: number;
  entry: string;
  inclusionProof: string[];
  checkpoint: string;
}

export type StatusState = "active" | "suspended" | "revoked" | "superseded" | "archived" | "unknown";
export const STATUS_STATES: readonly StatusState[] = [
  "active",
  "suspended",
  "revoked",
  "superseded",
  "archived",
  "unknown",
];

export interface StatusInfo {
  state: StatusState;
  /** ISO time of the last attempt to check; `unknown` when the check could not be made. */
  checkedAt: string;
  message?: string;
  /** The coded sentences of `message` (verifier report-messages.ts), to show it in the holder's language. */
  sentences?: Sentence[];
  /**
   * The public reason code of the last suspension, revocation, supersession or archiving
   * (docs/API.md status `reason`: `issued-in-error`, `under-review`, …), from the issuer's
   * verification report; absent while active or when it could not be read.
   */
  reason?: string;
  /** When the current non-active state began (ISO time of the recorded event). */
  since?: string;
}

/** A status change this wallet noticed on a refresh; shown on the card until the holder has seen it. */
interface StatusChange {
  from: StatusState;
  to: StatusState;
  /** When this wallet noticed it. */
  noticedAt: string;
  since?: string;
  reason?: string;
}

export interface HistoryItem {
  kind: string;
  at: string;
  reason?: string;
  note?: string;
  leafIndex?: number;
}

export interface AnchoringInfo {
  origin: string;
  leafIndex: number;
  treeSize?: number;
  checkpoint: string;
  verified: boolean;
  message: string;
  sentences?: Sentence[];
  checkedAt: string;
}

export interface StoredCredential {
  /** The credential's own id (`urn:uuid:…`, also its `jti`). */
  id: string;
  jwt: string;
  /** The SD-JWT form of the same credential (selective-disclosure.ts), when the issuer gave one. */
  sdJwt?: string;
  /** Mentor feedback addressed to the holder about this credential (feedback.ts); presented only when added. */
  feedback?: FeedbackRecord[];
  receipt?: ReceiptData;
  /** Where the credential came from (the credential issuer URL of the offer). */
  source?: string;
  addedAt: string;
  status: StatusInfo;
  history?: HistoryItem[];
  anchoring?: AnchoringInfo;
  /** The last state actually established (never `unknown`): a failed check is not a change. */
  lastKnown?: StatusState;
  /** The newest change not yet acknowledged by the holder. */
  change?: StatusChange;
  /** The learner chose never to share it: kept out of every share and request picker (shareable()). */
  neverShare?: boolean;
  /**
   * Imported from another wallet's signed export (portable.ts): the did:key of the learner who
   * signed the bundle, when it is not this wallet's. Such a credential is bound to that key, so this
   * wallet can show it but cannot present it.
   */
  importedFrom?: string;
}

/** The credentials this wallet may offer in a share, presentation or request picker. */
export function shareable(creds: StoredCredential[]): StoredCredential[] {
  return creds.filter((c) => !c.neverShare && !c.importedFrom);
}

/** Per log origin: the pinned verifier key and the newest checkpoint seen (split-view protection). */
export interface LogView {
  origin: string;
  /** Base URL of the server that serves this log. */
  baseUrl: string;
  verifierKey?: string;
  size: number;
  /** base64 root hash of the newest checkpoint seen */
  rootHash: string;
  checkpoint: string;
  seenAt: string;
  /** Log entries [0, scannedTo) have been read for lifecycle events (log-history.ts). */
  scannedTo?: number;
  /** Set when an inconsistency was detected; never cleared automatically. */
  warning?: { at: string; message: string; code: string };
}

/** A lasting share link this wallet made (docs/API.md "Sharing that survives email"). */
export interface ShareRecord {
  id: string;
  url: string;
  /** The server that holds the share (its base URL). */
  baseUrl: string;
  credentialId: string;
  title: string;
  sharedAt: string;
  expiresAt: string;
  withdrawnAt?: string;
}
