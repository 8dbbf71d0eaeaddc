import {
  nobleEd25519,
  verifyCredential,
  type VerificationReport,
  type VerifyContext,
} from "@meritlog/verifier/core";
import { ServerApi } from "./server-api.js";
import type {
  AnchoringInfo,
  HistoryItem,
  LogView,
  ReceiptData,
  StatusInfo,
  StatusState,
  StoredCredential,
} from "./records.js";
import { STATUS_STATES } from "./records.js";
import { refineState } from "./log-history.js";

/**
 * Verification in the wallet: the same browser-safe verifier core the /verify page uses, with
 * noble Ed25519, the server's public issuer registry and the log key pinned on first contact.
 * The only network reads are status lists, the log's checkpoint and consistency proofs.
 */
export interface Trust {
  issuers: { did: string; name: string }[];
  logKey: { origin: string; verifierKey: string };
  /** C2SP tlog-cosignature vkeys of the log's witnesses and the quorum anchoring needs (`GET /v1/log/key`). */
  witnesses?: { keys: string[]; quorum?: number };
}

/** Reads the trust material of a meritlog server; the log key is pinned by the caller after first use. */
export async function loadTrust(api: ServerApi, pinned?: LogView): Promise<Trust> {
  const [issuers, served] = await Promise.all([
    api.issuers().catch(() => []),
    api.logKey().catch((e: unknown) => (pinned?.verifierKey ? undefined : Promise.reject(e))),
  ]);
  // The pinned key wins; the witnesses come from the server (they can only make anchoring stricter).
  const logKey = pinned?.verifierKey
    ? { origin: pinned.origin, verifierKey: pinned.verifierKey }
    : { origin: served!.origin, verifierKey: served!.verifierKey };
  const trust: Trust = { issuers, logKey };
  if (served?.witnesses && served.witnesses.length > 0)
    trust.witnesses = {
      keys: served.witnesses,
      ...(served.witnessQuorum !== undefined ? { quorum: served.witnessQuorum } : {}),
    };
  return trust;
}

function context(api: ServerApi, trust: Trust, view: LogView | undefined, now: Date): VerifyContext {
  return {
    now,
    ed25519: nobleEd25519,
    trust: {
      issuers: trust.issuers,
      logKeys: [trust.logKey.verifierKey],
      ...(view?.checkpoint ? { knownCheckpoints: [view.checkpoint] } : {}),
      ...(trust.witnesses
        ? {
            witnesses: trust.witnesses.keys,
            ...(trust.witnesses.quorum !== undefined ? { witnessQuorum: trust.witnesses.quorum } : {}),
          }
        : {}),
    },
    fetcher: {
      statusList: (url) => api.statusList(url),
      consistencyProof: (_origin, first, second) => api.consistency(first, second),
      latestCheckpoint: () => api.checkpoint(),
    },
    fetchTimeoutMs: 8000,
  };
}

export interface WalletCheck {
  report: VerificationReport;
  /** Why the wallet refuses to keep it; undefined when acceptable. */
  refusal?: string;
  status: StatusInfo;
  anchoring?: AnchoringInfo;
}

/** Plain names of the verifier's checks, for refusal messages. */
const CHECK_NAMES: Record<string, string> = {
  signature: "Signature",
  issuer: "Issuer",
  schema: "Form",
  validity: "Validity period",
  status: "Status",
  anchoring: "Public log record",
  scope: "Scope",
  noConversion: "No-conversion notice",
  holder: "Holder",
};

const state = (s: unknown): StatusState =>
  STATUS_STATES.includes(s as StatusState) ? (s as StatusState) : "unknown";

/** Verifies a credential and its receipt for this holder; explains any refusal in plain words. */
export async function checkCredential(
  jwt: string,
  receipt: ReceiptData | undefined,
  o: { api: ServerApi; trust: Trust; view?: LogView; holderDid: string; now: Date },
): Promise<WalletCheck> {
  const report = await verifyCredential(jwt, receipt, context(o.api, o.trust, o.view, o.now));
  const c = report.checks;
  const at = o.now.toISOString();
  const out: WalletCheck = {
    report,
    status: {
      state: state(c.status?.state),
      checkedAt: c.status?.checkedAt ?? at,
      ...(c.status?.message ? { message: c.status.message, sentences: c.status.sentences } : {}),
    },
  };
  if (receipt && c.anchoring) {
    out.anchoring = {
      origin: receipt.origin,
      leafIndex: receipt.leafIndex,
      ...(typeof c.anchoring.treeSize === "number" ? { treeSize: c.anchoring.treeSize } : {}),
      checkpoint: receipt.checkpoint,
      verified: c.anchoring.ok === true,
      message: c.anchoring.message,
      sentences: c.anchoring.sentences,
      checkedAt: at,
    };
  }
  const failed = Object.entries(c)
    .filter(([, v]) => v && v.ok === false)
    .map(([k, v]) => `${CHECK_NAMES[k] ?? k}: ${v!.message}`);
  const subject =
    (report.credential?.credentialSubject as { id?: unknown } | undefined)?.id ?? report.credential?.sub;
  if (report.verdict === "invalid")
    out.refusal = `It did not pass verification — ${failed.join(" ") || c.signature.message}`;
  else if (!receipt) out.refusal = "It came without a log receipt, so its anchoring cannot be checked.";
  else if (c.anchoring?.ok !== true)
    out.refusal = `Its anchoring in the log could not be confirmed — ${c.anchoring?.message ?? "no anchoring result"}`;
  else if (subject !== o.holderDid) out.refusal = "It was issued to a different holder, not to this wallet.";
  return out;
}

/**
 * Re-checks one stored credential: status from the status lists (refined by the authenticated
 * log history, see log-history.ts), and anchoring. `newEvents` are log events found since the last scan.
 */
export async function refreshCredential(
  rec: StoredCredential,
  o: {
    api: ServerApi;
    trust: Trust;
    view?: LogView;
    holderDid: string;
    now: Date;
    newEvents?: HistoryItem[];
  },
): Promise<StoredCredential> {
  const history: HistoryItem[] = [...(rec.history ?? [])];
  for (const e of o.newEvents ?? []) if (!history.some((h) => h.leafIndex === e.leafIndex)) history.push(e);
  history.sort((a, b) => (a.leafIndex ?? 0) - (b.leafIndex ?? 0));
  let next: StatusInfo;
  let anchoring = rec.anchoring;
  try {
    const r = await checkCredential(rec.jwt, rec.receipt, o);
    const refined = refineState(r.status.state, history);
    next = { ...r.status, state: refined };
    if (refined !== r.status.state) {
      delete next.sentences; // the wallet's own sentence below replaces the status list's
      const last = [...history]
        .reverse()
        .find((e) => ["revoke", "supersede", "renew", "archive", "suspend"].includes(e.kind));
      next.message = `The public log records this change${last ? ` (${last.kind}, log entry #${last.leafIndex ?? "?"}, ${last.at})` : ""}; the status list said "${r.status.state}".`;
    }
    if (r.anchoring) anchoring = r.anchoring;
  } catch (e) {
    next = {
      state: "unknown",
      checkedAt: o.now.toISOString(),
      message: `The status could not be checked (${e instanceof Error ? e.message : "error"}).`,
    };
  }
  return { ...rec, status: next, history, ...(anchoring ? { anchoring } : {}) };
}
