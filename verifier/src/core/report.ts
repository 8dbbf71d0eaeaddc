// The verification report: one object that the API returns and the CLI and the /verify page
// render (docs/API.md "Verification"). Each check answers one question with ok true, false or
// "unknown", a stable code and a sentence a person understands.

import { sayNotChecked, type Said, type Sentence } from "./report-messages.js";

export type CheckOk = true | false | "unknown";

export interface Check {
  ok: CheckOk;
  code: string;
  message: string;
  /**
   * The sentences of `message`, each a stable code with parameters (report-messages.ts), so a page
   * can say it in the reader's language. Absent on a message made elsewhere (then only English).
   */
  sentences?: Sentence[];
  /** Set when the check passed but something deserves attention (e.g. an unregistered issuer). */
  warning?: true;
  [detail: string]: unknown;
}

export type Verdict = "valid" | "valid-with-warnings" | "invalid";

export type StatusState = "active" | "suspended" | "revoked" | "superseded" | "archived" | "unknown";

export interface CredentialChecks {
  signature: Check;
  issuer: Check & { did?: string; registered?: boolean };
  schema: Check;
  validity: Check & { validFrom?: string; validUntil?: string };
  status: Check & { state: StatusState; checkedAt?: string };
  anchoring: Check & { leafIndex?: number; treeSize?: number };
  scope: Check & { covers?: string[]; excludes?: string[] };
  noConversion: Check & { notice?: string };
  holder?: Check;
  /** MPU authorship credentials of co-authored MPUs: `{signed, of, missing}` (co-authorship.ts). */
  coAuthorship?: Check & { signed?: number; of?: number; missing?: string[] };
  /** The endorsements recorded for the credential, each with its state (endorsements.ts). */
  endorsements?: Check;
}

export interface VerificationReport {
  verdict: Verdict;
  /** "credential" or "presentation". */
  kind: "credential" | "presentation";
  checks: Partial<CredentialChecks> & { signature: Check };
  /** The decoded credential (or presentation) payload, when the token could be decoded. */
  credential?: Record<string, unknown>;
  presentation?: Record<string, unknown>;
  /** For presentations: one report per contained credential. */
  credentials?: VerificationReport[];
  /** When the report was made, by the caller's clock. */
  checkedAt: string;
}

/** A check; `message` is English text, or a coded message from `say` (report-messages.ts). */
export function check(
  ok: CheckOk,
  code: string,
  message: string | Said,
  details?: Record<string, unknown>,
): Check {
  if (typeof message === "string") return { ok, code, message, ...details };
  return { ok, code, message: message.text, sentences: message.sentences, ...details };
}

/** A check that was not run because an earlier one failed (`why` a clause, e.g. "the token could not be read"). */
export function notChecked(name: string, why = "the token could not be verified"): Check {
  const s = sayNotChecked(why);
  return { ok: "unknown", code: `${name}.not_checked`, message: s.text, sentences: s.sentences };
}

/**
 * The overall verdict: invalid if any check failed or the signature is not established;
 * valid-with-warnings if anything is unknown or flagged; valid otherwise.
 */
export function verdictOf(
  checks: Record<string, Check | undefined>,
  children: VerificationReport[] = [],
): Verdict {
  let warn = false;
  if (checks.signature?.ok !== true) return "invalid";
  for (const c of Object.values(checks)) {
    if (!c) continue;
    if (c.ok === false) return "invalid";
    if (c.ok === "unknown" || c.warning) warn = true;
  }
  for (const r of children) {
    if (r.verdict === "invalid") return "invalid";
    if (r.verdict === "valid-with-warnings") warn = true;
  }
  return warn ? "valid-with-warnings" : "valid";
}
