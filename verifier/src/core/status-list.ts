// Status checking per W3C Bitstring Status List v1.0. The list is obtained only through the
// caller's fetcher; on any failure the state is "unknown", never "not revoked".
import type { HistoryEvent, VerifyContext } from "./context.js";
import { withTimeout } from "./context.js";
import { listSignerAccepted } from "./registry.js";
import type { Check, StatusState } from "./report.js";
import { check } from "./report.js";
import { say } from "./report-messages.js";
import type { ReportSentenceCode } from "../report-sentences.js";
import { decodeJwt } from "./jose.js";
import { verifyJwsSignature } from "./signature.js";
import { issuerIdOf, numericDate, parseDate } from "./credential-form.js";
import { tryFromBase64Url } from "@meritlog/core";
import { gunzip } from "./gzip.js";
import { VerifierError } from "../errors.js";

/** Bitstring Status List §2.1: lists are at least 16 KiB (131,072 entries) for herd privacy; we cap the other side. */
const MAX_LIST_BYTES = 16 * 1024 * 1024;
const MAX_LIST_JWT_LENGTH = 2 * 1024 * 1024;
/** §2.2 "ttl": default cache time when the list states none (5 minutes). */
const DEFAULT_TTL_MS = 5 * 60_000;

/** A status list after its signature, issuer and validity were checked. */
interface VerifiedList {
  url: string;
  issuer: string;
  purposes: string[];
  bits: Uint8Array;
  fetchedAt: string;
  validFrom?: string;
  validUntil?: string;
  /** ms: when to drop it from the cache. */
  expires: number;
}

interface ListOutcome {
  purpose: string;
  url: string;
  index: number | undefined;
  ok: boolean | "unknown";
  code: string;
  message: string;
  set?: boolean;
  fetchedAt?: string;
  validFrom?: string;
  validUntil?: string;
  listIssuer?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Reads bit `index` of a status list: index 0 is the left-most (most significant) bit of byte 0 (§3.2 step 10, §2.1 "bitstring"). */
export function readBit(bits: Uint8Array, index: number): boolean | undefined {
  const byte = index >> 3;
  if (index < 0 || byte >= bits.length) return undefined;
  return ((bits[byte]! >> (7 - (index & 7))) & 1) === 1;
}

class ListFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly ok: false | "unknown" = "unknown",
  ) {
    super(message);
  }
}

/**
 * Fetches, verifies and decodes the list at `url`, expected to be signed by `issuerDid`. A cached
 * list is used only while it can still speak for this credential: one whose signer the trust
 * material no longer accepts (the issuer rotated its key since) or that was fetched before
 * `notBeforeMs` is fetched again, so a stale copy never decides a verdict (issue 9 defect 5).
 * `fromCache` (when given) records the URLs answered from the cache.
 */
async function loadList(
  url: string,
  issuerDid: string,
  ctx: VerifyContext,
  o: { notBeforeMs?: number; bypassCache?: boolean; fromCache?: Set<string> } = {},
): Promise<VerifiedList> {
  const nowMs = ctx.now.getTime();
  const cached = o.bypassCache
    ? undefined
    : (ctx.cache?.statusLists.get(url, nowMs) as VerifiedList | undefined);
  if (cached) {
    const current =
      listSignerAccepted(ctx.trust, issuerDid, cached.issuer) &&
      (o.notBeforeMs === undefined || Date.parse(cached.fetchedAt) >= o.notBeforeMs);
    if (current) {
      o.fromCache?.add(url);
      return cached;
    }
    ctx.cache?.statusLists.delete(url);
  }
  const fetchList = ctx.fetcher?.statusList;
  if (!fetchList)
    throw new ListFailure(
      "status.fetch_disabled",
      `The status list at ${url} was not fetched: fetching is not enabled here.`,
    );
  let jwt: string;
  try {
    jwt = await withTimeout(ctx, "status list fetch", () => fetchList.call(ctx.fetcher, url));
  } catch (e) {
    throw new ListFailure(
      "status.list_unreachable",
      `The status list at ${url} could not be fetched (${e instanceof Error ? e.message.slice(0, 200) : "error"}).`,
    );
  }
  const fetchedAt = ctx.now.toISOString();
  let d;
  try {
    d = decodeJwt(typeof jwt === "string" ? jwt.trim() : jwt, MAX_LIST_JWT_LENGTH);
  } catch (e) {
    throw new ListFailure(
      "status.list_malformed",
      `The status list at ${url} is not a readable VC-JWT (${e instanceof VerifierError ? e.code : "error"}).`,
    );
  }
  const p = d.payload;
  const cred = isObject(p.vc) ? p.vc : p;
  const listIssuer = typeof p.iss === "string" ? p.iss : issuerIdOf(cred.issuer);
  if (typeof listIssuer !== "string")
    throw new ListFailure("status.list_malformed", `The status list at ${url} does not name its issuer.`);
  const credIssuer = issuerIdOf(cred.issuer);
  if (credIssuer !== undefined && credIssuer !== listIssuer)
    throw new ListFailure("status.list_malformed", `The status list at ${url} names two different issuers.`);
  // §3.2 step 3: the list's proof must verify, and its issuer must be the credential's issuer;
  // otherwise anyone could publish a list saying "not revoked".
  // After a key rotation the list is signed by the issuer's current DID; that is accepted for a
  // credential of an earlier DID only when the registry says both DIDs are the same issuer.
  if (!listSignerAccepted(ctx.trust, issuerDid, listIssuer)) {
    throw new ListFailure(
      "status.list_issuer_mismatch",
      `The status list at ${url} is issued by ${listIssuer.slice(0, 120)}, not by the credential's issuer ${issuerDid.slice(0, 120)}.`,
      false,
    );
  }
  const sig = await verifyJwsSignature(d, listIssuer, ctx, "status list");
  if (sig.check.ok !== true) {
    throw new ListFailure(
      sig.check.ok === false ? "status.list_signature_invalid" : "status.list_unverifiable",
      `The status list's signature does not hold: ${sig.check.message}`,
      sig.check.ok === false ? false : "unknown",
    );
  }
  const types = Array.isArray(cred.type) ? cred.type : [cred.type];
  const subject = isObject(cred.credentialSubject) ? cred.credentialSubject : undefined;
  if (
    !types.includes("BitstringStatusListCredential") ||
    !subject ||
    subject.type !== "BitstringStatusList" ||
    typeof subject.encodedList !== "string"
  ) {
    throw new ListFailure(
      "status.list_malformed",
      `The document at ${url} is not a Bitstring Status List credential.`,
    );
  }
  const validFrom = parseDate(cred.validFrom ?? cred.issuanceDate);
  let validUntil = parseDate(cred.validUntil ?? cred.expirationDate);
  const expMs = numericDate(p.exp);
  if (expMs !== undefined) validUntil = Math.min(validUntil ?? Infinity, expMs);
  const skew = (ctx.skewSeconds ?? 60) * 1000;
  if (validFrom !== undefined && nowMs + skew < validFrom)
    throw new ListFailure(
      "status.list_not_yet_valid",
      `The status list at ${url} is not valid before ${new Date(validFrom).toISOString()}.`,
    );
  if (validUntil !== undefined && nowMs - skew >= validUntil)
    throw new ListFailure(
      "status.list_expired",
      `The status list at ${url} expired on ${new Date(validUntil).toISOString()}; a current one could not be obtained.`,
    );
  // §2.1 encodedList: multibase base64url ("u") of the GZIP-compressed bitstring.
  const enc = subject.encodedList;
  const gz = enc.startsWith("u") ? tryFromBase64Url(enc.slice(1)) : undefined;
  if (!gz)
    throw new ListFailure(
      "status.list_malformed",
      `The status list at ${url} has an encodedList that is not multibase base64url.`,
    );
  let bits: Uint8Array;
  try {
    bits = await gunzip(gz, MAX_LIST_BYTES);
  } catch {
    throw new ListFailure("status.list_malformed", `The status list at ${url} could not be decompressed.`);
  }
  const purposes = (
    Array.isArray(subject.statusPurpose) ? subject.statusPurpose : [subject.statusPurpose]
  ).filter((x): x is string => typeof x === "string");
  const ttl = typeof subject.ttl === "number" && subject.ttl > 0 ? subject.ttl : DEFAULT_TTL_MS;
  const list: VerifiedList = {
    url,
    issuer: listIssuer,
    purposes,
    bits,
    fetchedAt,
    ...(validFrom !== undefined ? { validFrom: new Date(validFrom).toISOString() } : {}),
    ...(validUntil !== undefined ? { validUntil: new Date(validUntil).toISOString() } : {}),
    expires: Math.min(nowMs + ttl, validUntil ?? Infinity),
  };
  ctx.cache?.statusLists.set(url, list, list.expires);
  return list;
}

/**
 * The outcome for an entry whose list was obtained: the entry's members, then the list's, then
 * the result, as `{ ...base, ...info, ok, set?, code, message }` had them (built as one literal:
 * a spread followed by more members costs V8 about 1 µs per object on this path).
 */
function listOutcome(
  purpose: string,
  url: string,
  index: number,
  list: VerifiedList,
  ok: true | "unknown",
  code: string,
  message: string,
  set?: boolean,
): ListOutcome {
  if (set === undefined)
    return {
      purpose,
      url,
      index,
      fetchedAt: list.fetchedAt,
      validFrom: list.validFrom,
      validUntil: list.validUntil,
      listIssuer: list.issuer,
      ok,
      code,
      message,
    };
  return {
    purpose,
    url,
    index,
    fetchedAt: list.fetchedAt,
    validFrom: list.validFrom,
    validUntil: list.validUntil,
    listIssuer: list.issuer,
    ok,
    set,
    code,
    message,
  };
}

/** Checks one credentialStatus entry (§3.2 "Validate Algorithm"). */
async function checkEntry(
  entry: unknown,
  issuerDid: string,
  ctx: VerifyContext,
  load: { notBeforeMs?: number; bypassCache?: boolean; fromCache?: Set<string> } = {},
): Promise<ListOutcome> {
  if (!isObject(entry))
    return {
      purpose: "?",
      url: "",
      index: undefined,
      ok: "unknown",
      code: "status.entry_malformed",
      message: "A status entry is not an object.",
    };
  const purpose = typeof entry.statusPurpose === "string" ? entry.statusPurpose : "?";
  const url = typeof entry.statusListCredential === "string" ? entry.statusListCredential : "";
  const rawIndex = entry.statusListIndex;
  // §2.1: statusListIndex is a string of an integer ≥ 0 (numbers are tolerated).
  const index =
    typeof rawIndex === "string" && /^(0|[1-9]\d{0,9})$/.test(rawIndex)
      ? Number(rawIndex)
      : typeof rawIndex === "number" && Number.isSafeInteger(rawIndex) && rawIndex >= 0
        ? rawIndex
        : undefined;
  const base = { purpose, url, index };
  if (entry.type !== "BitstringStatusListEntry")
    return {
      ...base,
      ok: "unknown",
      code: "status.type_unsupported",
      message: `Status entries of type "${String(entry.type).slice(0, 60)}" are not supported.`,
    };
  if (purpose === "message") return checkMessageEntry(entry, base, url, index, issuerDid, ctx, load);
  if (purpose !== "revocation" && purpose !== "suspension")
    return {
      ...base,
      ok: "unknown",
      code: "status.purpose_unsupported",
      message: `Status purpose "${purpose.slice(0, 60)}" is not checked.`,
    };
  if (!url || index === undefined)
    return {
      ...base,
      ok: "unknown",
      code: "status.entry_malformed",
      message: "A status entry lacks a valid list URL or index.",
    };
  if (entry.statusSize !== undefined && entry.statusSize !== 1)
    return {
      ...base,
      ok: "unknown",
      code: "status.size_unsupported",
      message: "Only one-bit revocation and suspension entries are supported.",
    };
  try {
    const list = await loadList(url, issuerDid, ctx, load);
    // §3.2 step 6: the entry's purpose must be one the list declares.
    if (!list.purposes.includes(purpose))
      return listOutcome(
        purpose,
        url,
        index,
        list,
        "unknown",
        "status.purpose_mismatch",
        `The list at ${url} is not a ${purpose} list.`,
      );
    // §3.2 step 9: the list must be at least 131,072 entries and hold the index.
    if (list.bits.length < 16 * 1024)
      return listOutcome(
        purpose,
        url,
        index,
        list,
        "unknown",
        "status.list_too_short",
        `The list at ${url} is shorter than the minimum 131,072 entries.`,
      );
    const bit = readBit(list.bits, index);
    if (bit === undefined)
      return listOutcome(
        purpose,
        url,
        index,
        list,
        "unknown",
        "status.index_out_of_range",
        `Index ${index} is outside the list at ${url}.`,
      );
    return listOutcome(
      purpose,
      url,
      index,
      list,
      true,
      bit ? `status.${purpose === "revocation" ? "revoked" : "suspended"}` : "status.clear",
      bit
        ? `The ${purpose} list marks this credential.`
        : `The ${purpose} list does not mark this credential.`,
      bit,
    );
  } catch (e) {
    if (e instanceof ListFailure) return { ...base, ok: e.ok, code: e.code, message: e.message };
    return {
      ...base,
      ok: "unknown",
      code: "status.list_error",
      message: `The status list at ${url} could not be checked.`,
    };
  }
}

/** Reads `size` bits starting at bit `index × size`, most significant first (§3.2 "Validate Algorithm" step 9). */
function readStatusValue(bits: Uint8Array, index: number, size: number): number | undefined {
  let v = 0;
  for (let k = 0; k < size; k++) {
    const b = readBit(bits, index * size + k);
    if (b === undefined) return undefined;
    v = (v << 1) | (b ? 1 : 0);
  }
  return v;
}

/**
 * What a `statusMessage` text means for the report. A message list can say anything (§2.1
 * `statusPurpose: "message"`); only the words this verifier can act on are read, and anything
 * else leaves the status unknown rather than guessing "active".
 */
function messageMeaning(text: string): "active" | "revoked" | "suspended" | undefined {
  const t = text.trim().toLowerCase();
  if (t === "active" || t === "valid" || t === "unset" || t === "clear") return "active";
  if (t === "revoked" || t.startsWith("revoked")) return "revoked";
  if (t === "suspended" || t.startsWith("suspended")) return "suspended";
  return undefined;
}

/**
 * A `statusPurpose: "message"` entry (§2.1): `statusSize` bits per credential whose value is
 * named by `statusMessage`. meritlog's own entry uses two bits, 0x0 active, 0x1 suspended,
 * 0x2/0x3 revoked; the outcome carries the purpose the message names, so revocation and
 * suspension from one entry combine as from two.
 */
async function checkMessageEntry(
  entry: Record<string, unknown>,
  base: { purpose: string; url: string; index: number | undefined },
  url: string,
  index: number | undefined,
  issuerDid: string,
  ctx: VerifyContext,
  // The same cache rules as one-bit entries: a copy older than the newest anchored event, or one
  // that contradicts the history, is fetched again (docs/SECURITY.md "Stale status").
  load: { notBeforeMs?: number; bypassCache?: boolean; fromCache?: Set<string> } = {},
): Promise<ListOutcome> {
  if (!url || index === undefined)
    return {
      ...base,
      ok: "unknown",
      code: "status.entry_malformed",
      message: "A status entry lacks a valid list URL or index.",
    };
  const size = entry.statusSize ?? 1;
  if (typeof size !== "number" || !Number.isInteger(size) || size < 1 || size > 8)
    return {
      ...base,
      ok: "unknown",
      code: "status.size_unsupported",
      message: "The status entry's statusSize is not an integer from 1 to 8.",
    };
  const messages = Array.isArray(entry.statusMessage) ? entry.statusMessage : undefined;
  // §2.1: statusMessage MUST be present when statusSize > 1; it is what gives the value a meaning.
  if (!messages)
    return {
      ...base,
      ok: "unknown",
      code: "status.entry_malformed",
      message: "A message status entry names no statusMessage, so its value has no meaning.",
    };
  try {
    const list = await loadList(url, issuerDid, ctx, load);
    if (!list.purposes.includes("message"))
      return listOutcome(
        "message",
        url,
        index,
        list,
        "unknown",
        "status.purpose_mismatch",
        `The list at ${url} is not a message list.`,
      );
    // §3.2 step 9: at least 131,072 entries of statusSize bits.
    if (list.bits.length * 8 < 131_072 * size)
      return listOutcome(
        "message",
        url,
        index,
        list,
        "unknown",
        "status.list_too_short",
        `The list at ${url} is shorter than the minimum 131,072 entries.`,
      );
    const value = readStatusValue(list.bits, index, size);
    if (value === undefined)
      return listOutcome(
        "message",
        url,
        index,
        list,
        "unknown",
        "status.index_out_of_range",
        `Index ${index} is outside the list at ${url}.`,
      );
    const hex = `0x${value.toString(16)}`;
    const m = messages.find(
      (x): x is { status: string; message: string } =>
        isObject(x) &&
        typeof x.status === "string" &&
        parseInt(x.status, 16) === value &&
        typeof x.message === "string",
    );
    const meaning = m ? messageMeaning(m.message) : undefined;
    if (!m || !meaning)
      return listOutcome(
        "message",
        url,
        index,
        list,
        "unknown",
        "status.message_unknown",
        `The list at ${url} gives this credential the status ${hex}${m ? ` ("${m.message.slice(0, 80)}")` : ""}, which this verifier cannot read as active, suspended or revoked.`,
      );
    if (meaning === "active")
      return listOutcome(
        "message",
        url,
        index,
        list,
        true,
        "status.clear",
        `The status list gives this credential ${hex} ("${m.message.slice(0, 80)}").`,
        false,
      );
    return listOutcome(
      meaning === "revoked" ? "revocation" : "suspension",
      url,
      index,
      list,
      true,
      `status.${meaning}`,
      `The status list gives this credential ${hex} ("${m.message.slice(0, 80)}").`,
      true,
    );
  } catch (e) {
    if (e instanceof ListFailure) return { ...base, ok: e.ok, code: e.code, message: e.message };
    return {
      ...base,
      ok: "unknown",
      code: "status.list_error",
      message: `The status list at ${url} could not be checked.`,
    };
  }
}

type FinalState = "suspended" | "revoked" | "superseded" | "archived";
/** What each final state means, in the sentence the report says it in. */
const STATE_SENTENCE: Record<FinalState, string> = {
  suspended: "suspended (temporarily not valid)",
  revoked: "revoked (permanently withdrawn)",
  superseded: "superseded (replaced by a corrected or renewed credential)",
  archived: "archived (kept for the record; it carries no current status)",
};

/** How many of the newest history events a report quotes (`details.history`). */
const REPORTED_HISTORY = 50;

/**
 * The status check: lists from `credentialStatus`, combined with the recorded history (which is
 * where "superseded" and "archived" come from). Negative facts from either source win; "active"
 * needs every list to have been checked.
 */
export async function checkStatus(
  credential: Record<string, unknown>,
  issuerDid: string,
  ctx: VerifyContext,
  history: HistoryEvent[] | undefined,
  historyNote?: string,
): Promise<Check & { state: StatusState }> {
  const raw = credential.credentialStatus;
  const entries = raw === undefined ? [] : Array.isArray(raw) ? raw.slice(0, 8) : [raw];
  // A cached list fetched before the newest recorded status event cannot know of it.
  const newest = Math.max(
    ...(history ?? []).map((e) => Date.parse(e.at)).filter((t) => Number.isFinite(t)),
    -Infinity,
  );
  const fromCache = new Set<string>();
  let lists = await Promise.all(
    entries.map((e) =>
      checkEntry(e, issuerDid, ctx, { fromCache, ...(newest > -Infinity ? { notBeforeMs: newest } : {}) }),
    ),
  );
  // A cached list that contradicts the anchored history (suspended after a reinstatement, clear
  // after a suspension or a final state) is fetched again before any verdict: the history is
  // anchored at the moment of the change, a list copy is only as new as its fetch.
  if (
    history &&
    fromCache.size > 0 &&
    lists.some((l) => fromCache.has(l.url) && contradicts(l, historyState(history).state))
  ) {
    lists = await Promise.all(
      entries.map((e, i) =>
        fromCache.has(lists[i]!.url) ? checkEntry(e, issuerDid, ctx, { bypassCache: true }) : lists[i]!,
      ),
    );
  }
  const checkedAt = ctx.now.toISOString();
  const details: Record<string, unknown> = { checkedAt, lists };
  // The report quotes the newest events only, so its size (and the cost of every verification)
  // does not grow with a long suspend/reinstate history; the count says how many there are.
  if (history) {
    details.history = history.slice(-REPORTED_HISTORY);
    if (history.length > REPORTED_HISTORY) details.historyTotal = history.length;
  }
  if (historyNote) details.historyNote = historyNote;

  const revokedByList = lists.some((l) => l.ok === true && l.set && l.purpose === "revocation");
  const suspendedByList = lists.some((l) => l.ok === true && l.set && l.purpose === "suspension");
  const listFailed = lists.find((l) => l.ok === false);
  const listUnknown = lists.find((l) => l.ok === "unknown");
  const h = historyState(history ?? []);

  // A final state in the history names what the list's revocation bit cannot tell apart
  // (meritlog issuers set it for revoked, archived and superseded alike); without a history,
  // a set revocation bit reads "revoked", which is never more permissive than the truth.
  let state: StatusState;
  if (h.state === "revoked" || h.state === "superseded" || h.state === "archived") state = h.state;
  else if (revokedByList) state = "revoked";
  else if (suspendedByList || h.state === "suspended") state = "suspended";
  else if (listFailed || listUnknown || lists.length === 0) state = "unknown";
  else state = "active";

  details.state = state;
  if (h.replacedBy) details.replacedBy = h.replacedBy;
  if (h.at) details.since = h.at;
  if (state === "unknown") {
    if (listFailed)
      return withState(
        check(
          false,
          listFailed.code,
          say(`Status could not be established: ${listFailed.message}`, "status.failed", {
            detail: listFailed.message,
          }),
          details,
        ),
        state,
      );
    if (lists.length === 0)
      return withState(
        check(
          "unknown",
          "status.no_list",
          say(
            `This credential names no status list, so whether it was revoked or suspended cannot be checked.`,
            "status.no_list",
          ),
          details,
        ),
        state,
      );
    return withState(
      check(
        "unknown",
        listUnknown!.code,
        say(
          `${listUnknown!.message} Whether it is revoked or suspended is therefore unknown; this does not mean it is not revoked.`,
          "status.unknown",
          { detail: listUnknown!.message },
        ),
        details,
      ),
      state,
    );
  }
  if (state === "active") {
    const when = lists.map((l) => l.fetchedAt).filter(Boolean)[0];
    return withState(
      check(
        true,
        "status.active",
        when
          ? lists.length > 1
            ? say(
                `Active: not revoked and not suspended according to the issuer's status lists (fetched ${when}).`,
                "status.active.lists.fetched",
                { fetched: when },
              )
            : say(
                `Active: not revoked and not suspended according to the issuer's status list (fetched ${when}).`,
                "status.active.fetched",
                { fetched: when },
              )
          : lists.length > 1
            ? say(
                `Active: not revoked and not suspended according to the issuer's status lists.`,
                "status.active.lists",
              )
            : say(
                `Active: not revoked and not suspended according to the issuer's status list.`,
                "status.active",
              ),
        details,
      ),
      state,
    );
  }
  const since = h.at && h.state === state ? h.at : undefined;
  const by = state === "superseded" && h.replacedBy ? h.replacedBy : undefined;
  const params: Record<string, string> = {};
  if (by !== undefined) params.by = by;
  if (since !== undefined) params.since = since;
  const text = `This credential is ${STATE_SENTENCE[state as FinalState]}${by !== undefined ? ` by ${by}` : ""}${since !== undefined ? ` since ${since}` : ""}.`;
  const code = `status.${state}${by !== undefined ? ".by" : ""}${since !== undefined ? ".since" : ""}`;
  return withState(
    check(false, `status.${state}`, say(text, code as ReportSentenceCode, params), details),
    state,
  );
}

/** `{ ...c, state }` for a fresh check `c`, without the copy (same members, same order). */
function withState(c: Check, state: StatusState): Check & { state: StatusState } {
  const out = c as Check & { state: StatusState };
  out.state = state;
  return out;
}

/** Whether a checked list bit disagrees with the state the anchored history implies. */
function contradicts(l: ListOutcome, state: StatusState | undefined): boolean {
  if (l.ok !== true || l.set === undefined) return false;
  const final = state === "revoked" || state === "superseded" || state === "archived";
  if (l.purpose === "revocation") return l.set !== final;
  if (l.purpose === "suspension") return final ? false : l.set !== (state === "suspended");
  return false;
}

/** The state implied by a credential's recorded history (last event of each kind wins). */
function historyState(events: HistoryEvent[]): { state?: StatusState; at?: string; replacedBy?: string } {
  let suspended: string | undefined;
  let out: { state?: StatusState; at?: string; replacedBy?: string } = {};
  for (const e of events) {
    if (e.kind === "suspend") suspended = e.at;
    else if (e.kind === "reinstate") suspended = undefined;
    else if (e.kind === "revoke") return { state: "revoked", at: e.at };
    else if (
      (e.kind === "supersede" || (e.kind === "renew" && e.replacedBy !== undefined)) &&
      out.state !== "superseded"
    )
      out = { state: "superseded", at: e.at, ...(e.replacedBy ? { replacedBy: e.replacedBy } : {}) };
    else if (e.kind === "archive" && out.state === undefined) out = { state: "archived", at: e.at };
  }
  if (suspended !== undefined && out.state === undefined) return { state: "suspended", at: suspended };
  return out;
}
