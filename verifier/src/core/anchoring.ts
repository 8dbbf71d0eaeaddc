// Anchoring: the credential's issuance is recorded in a transparency log we trust.
// 1. the receipt's entry names this exact JWT (digest = hex sha256(jwt)), its id and issuer;
// 2. the inclusion proof leads from that entry to the checkpoint's root (RFC 9162 §2.1.3.2);
// 3. the checkpoint is a signed note of a trusted log key (C2SP signed-note, tlog-checkpoint);
// 4. the checkpoint is consistent with the newest checkpoint we know (RFC 9162 §2.1.4.2), so the
//    log has not shown us a fork.
// Signature checks of a checkpoint are done once per checkpoint and cached.
import {
  DEFAULT_TREE_HASHER,
  EMPTY_ROOT,
  ed25519Verifier,
  rfc6962Hasher,
  verifyConsistency,
  verifyInclusion,
  verifyNote,
  verifyReceipt,
  type TreeHasher,
} from "@meritlog/ledger/verify";
import type { NoteVerifier, ReceiptResult } from "@meritlog/ledger/verify";
import type { Receipt, VerifyContext } from "./context.js";
import { withTimeout } from "./context.js";
import type { Check } from "./report.js";
import { check } from "./report.js";
import { say } from "./report-messages.js";
import { NEVER } from "./cache.js";
import { toHex, tryFromBase64, tryFromHex } from "@meritlog/core";
import { checkWitnessQuorum } from "./witness-quorum.js";

const encoder = new TextEncoder();
/** How long a fetched "latest checkpoint" is reused before asking the log again. */
const LATEST_TTL_MS = 5_000;

interface Cp {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  text: string;
  /** Hex of rootHash, computed once (cache keys). */
  rootHex?: string;
}

function rootHexOf(cp: Cp): string {
  return (cp.rootHex ??= toHex(cp.rootHash));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function rootBytes(v: unknown): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") return tryFromBase64(v) ?? (v.length === 64 ? tryFromHex(v) : undefined);
  return undefined;
}

/** The name of a signed-note verifier key (`<name>+<hash>+<key>`). */
function keyName(vkey: string): string {
  const i = vkey.indexOf("+");
  return i < 0 ? vkey : vkey.slice(0, i);
}

/**
 * A note verifier for `<name>+<hex key id>+<base64(0x01 || Ed25519 key)>` (C2SP signed-note,
 * as golang.org/x/mod/sumdb/note NewVerifier): split at the first two "+" only, since the
 * base64 key itself may contain "+". Undefined if malformed or the key id does not match.
 */
function noteVerifierOf(vkey: string): NoteVerifier | undefined {
  // A pure function of the key string; parsing hashes the key, so remember a few.
  if (verifierMemo.has(vkey)) return verifierMemo.get(vkey);
  const v = parseNoteVerifier(vkey);
  if (verifierMemo.size >= 64) verifierMemo.clear();
  verifierMemo.set(vkey, v);
  return v;
}
const verifierMemo = new Map<string, NoteVerifier | undefined>();

function parseNoteVerifier(vkey: string): NoteVerifier | undefined {
  const a = vkey.indexOf("+");
  const b = a < 0 ? -1 : vkey.indexOf("+", a + 1);
  if (a <= 0 || b < 0) return undefined;
  const name = vkey.slice(0, a);
  const id = vkey.slice(a + 1, b);
  const key = tryFromBase64(vkey.slice(b + 1));
  if (!/^[0-9a-f]{8}$/.test(id) || !key || key.length !== 33 || key[0] !== 0x01) return undefined;
  try {
    const v = ed25519Verifier(name, key.slice(1));
    return v.keyId === parseInt(id, 16) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The trusted verifiers of a log origin. */
function verifiersOf(origin: string, ctx: VerifyContext): NoteVerifier[] {
  const out: NoteVerifier[] = [];
  for (const k of ctx.trust.logKeys) {
    if (keyName(k) !== origin) continue;
    const v = noteVerifierOf(k);
    const sync = ctx.ed25519Sync;
    // The server's synchronous check (context.ts `ed25519Sync`) in place of the key's own.
    if (v) out.push(sync ? { ...v, verify: (m, s) => sync(s, m, v.publicKey) } : v);
  }
  return out;
}

/** Verifies a checkpoint note's signature against the trusted keys of its origin, once per note. */
function verifiedCheckpoint(text: string, origin: string, ctx: VerifyContext): Cp | undefined {
  const cacheKey = `${origin}\n${text}`;
  const hit = ctx.cache?.checkpoints.get(cacheKey, 0) as Cp | null | undefined;
  if (hit !== undefined) return hit ?? undefined;
  let out: Cp | undefined;
  try {
    const verifiers = verifiersOf(origin, ctx);
    if (verifiers.length > 0) {
      const res = verifyNote(text, verifiers);
      if (res.ok) {
        const cp = res.checkpoint;
        const root = rootBytes(cp?.rootHash);
        if (cp && cp.origin === origin && root) out = { origin, size: cp.size, rootHash: root, text };
      }
    }
  } catch {
    out = undefined;
  }
  ctx.cache?.checkpoints.set(cacheKey, out ?? null, NEVER);
  return out;
}

/**
 * The cache key of one inclusion proof that held (RFC 9162 §2.1.3.2 is a pure function of these
 * bytes): the verified checkpoint, the leaf index, the entry and the proof, so a receipt checked
 * again against an unchanged checkpoint is not hashed again (issue 10).
 */
function inclusionKey(checkpointKey: string, receipt: Receipt): string {
  return `${checkpointKey}\n${receipt.leafIndex}\n${receipt.inclusionProof.join(" ")}\n${receipt.entry}`;
}

/** Longer keys (a large entry or checkpoint) are not kept, which bounds the memory a caller can fill. */
const MAX_INCLUSION_KEY_LENGTH = 8 * 1024;

function keepInclusion(checkpointKey: string, receipt: Receipt, ctx: VerifyContext): void {
  const key = inclusionKey(checkpointKey, receipt);
  if (key.length <= MAX_INCLUSION_KEY_LENGTH) ctx.cache?.inclusions.set(key, true, NEVER);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Checks that checkpoints `a` (older or equal) and `b` of one log are consistent. */
async function consistent(a: Cp, b: Cp, ctx: VerifyContext): Promise<boolean | "unknown"> {
  if (a.size === b.size) return equal(a.rootHash, b.rootHash);
  const [m, n] = a.size < b.size ? [a, b] : [b, a];
  // The empty tree is a prefix of every tree when its root is MTH({}) (RFC 9162 §2.1.1); no proof from size 0 is asked for.
  if (m.size === 0) return equal(m.rootHash, EMPTY_ROOT);
  const key = `${m.origin}|${m.size}|${rootHexOf(m)}|${n.size}|${rootHexOf(n)}`;
  const hit = ctx.cache?.consistency.get(key, 0);
  if (hit !== undefined) return hit;
  const fetchProof = ctx.fetcher?.consistencyProof;
  if (!fetchProof) return "unknown";
  let proof: Uint8Array[];
  try {
    proof = await withTimeout(ctx, "consistency proof fetch", () =>
      fetchProof.call(ctx.fetcher, m.origin, m.size, n.size),
    );
  } catch {
    return "unknown";
  }
  let ok: boolean;
  try {
    ok = verifyConsistency(treeHasherOf(ctx), m.size, n.size, proof, m.rootHash, n.rootHash);
  } catch {
    ok = false;
  }
  ctx.cache?.consistency.set(key, ok, NEVER);
  return ok;
}

/** The newest checkpoint of `origin` we know: trusted ones and, if allowed, the log's latest. */
async function newestKnown(
  origin: string,
  ctx: VerifyContext,
): Promise<{ cp?: Cp; fetched?: boolean; problem?: string; views: Cp[] }> {
  const texts = [...(ctx.trust.knownCheckpoints ?? [])];
  let fetched = false;
  let problem: string | undefined;
  const latest = ctx.fetcher?.latestCheckpoint;
  if (latest) {
    const nowMs = ctx.now.getTime();
    let text = ctx.cache?.latest.get(origin, nowMs);
    if (text === undefined) {
      try {
        text = await withTimeout(ctx, "checkpoint fetch", () => latest.call(ctx.fetcher, origin));
        ctx.cache?.latest.set(origin, text, nowMs + LATEST_TTL_MS);
      } catch (e) {
        problem = `the log's latest checkpoint could not be fetched (${e instanceof Error ? e.message.slice(0, 120) : "error"})`;
      }
    }
    if (typeof text === "string") {
      texts.push(text);
      fetched = true;
    }
  }
  let best: Cp | undefined;
  const views: Cp[] = [];
  for (const t of texts) {
    const cp = verifiedCheckpoint(t, origin, ctx);
    if (cp) views.push(cp);
    if (cp && (!best || cp.size > best.size)) best = cp;
  }
  const out: { cp?: Cp; fetched?: boolean; problem?: string; views: Cp[] } = { views };
  if (best) out.cp = best;
  out.fetched = fetched;
  if (problem) out.problem = problem;
  return out;
}

/**
 * The RFC 9162 tree hasher for this context: over the caller's SHA-256 (node:crypto on the
 * server's hot path), else the portable one. Every inclusion and consistency check below runs
 * through the ledger's verifyInclusion / verifyConsistency, the functions its vectors test.
 */
function treeHasherOf(ctx: VerifyContext): TreeHasher {
  const sha256 = ctx.sha256;
  if (!sha256) return DEFAULT_TREE_HASHER;
  let h = hasherMemo.get(sha256);
  if (!h) hasherMemo.set(sha256, (h = rfc6962Hasher(sha256)));
  return h;
}
const hasherMemo = new WeakMap<(d: Uint8Array) => Uint8Array, TreeHasher>();

function receiptShapeOk(r: unknown): r is Receipt {
  return (
    isObject(r) &&
    typeof r.origin === "string" &&
    typeof r.entry === "string" &&
    typeof r.checkpoint === "string" &&
    Number.isSafeInteger(r.leafIndex) &&
    (r.leafIndex as number) >= 0 &&
    Array.isArray(r.inclusionProof) &&
    r.inclusionProof.length <= 64 &&
    r.inclusionProof.every((p) => typeof p === "string")
  );
}

/**
 * The anchoring check for a credential JWT whose hex sha256 is `digestHex`.
 * `expected` names what the log entry must say about the credential.
 */
export async function checkAnchoring(
  receipt: unknown,
  digestHex: string,
  expected: { credentialId?: string; issuer?: string },
  ctx: VerifyContext,
  source: "given" | "looked-up",
): Promise<Check> {
  if (receipt === undefined) {
    return check(
      "unknown",
      "anchoring.no_receipt",
      say(
        `No log receipt was given and none was found in the log, so when and whether this credential was recorded cannot be checked.`,
        "anchoring.no_receipt",
      ),
    );
  }
  if (!receiptShapeOk(receipt))
    return check(
      false,
      "anchoring.receipt_malformed",
      say(`The log receipt is not well-formed.`, "anchoring.receipt_malformed"),
    );
  const details: Record<string, unknown> = {
    origin: receipt.origin,
    leafIndex: receipt.leafIndex,
    receiptSource: source,
  };
  // 1. The entry must be about this exact token.
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(receipt.entry);
    if (!isObject(parsed)) throw new Error("not an object");
    entry = parsed;
  } catch {
    return check(
      false,
      "anchoring.receipt_malformed",
      say(`The receipt's log entry is not a JSON object.`, "anchoring.entry_not_object"),
      details,
    );
  }
  details.entry = { kind: entry.kind, at: entry.at, credentialId: entry.credentialId, digest: entry.digest };
  if (entry.digest !== digestHex) {
    return check(
      false,
      "anchoring.entry_mismatch",
      say(
        `The receipt records a different credential: its digest is not this credential's.`,
        "anchoring.entry_mismatch",
      ),
      details,
    );
  }
  if (
    expected.credentialId !== undefined &&
    entry.credentialId !== undefined &&
    entry.credentialId !== expected.credentialId
  ) {
    return check(
      false,
      "anchoring.entry_mismatch",
      say(`The receipt's log entry names another credential id.`, "anchoring.entry_other_id"),
      details,
    );
  }
  if (expected.issuer !== undefined && entry.issuer !== undefined && entry.issuer !== expected.issuer) {
    return check(
      false,
      "anchoring.entry_mismatch",
      say(`The receipt's log entry names another issuer.`, "anchoring.entry_other_issuer"),
      details,
    );
  }
  const vkeys = verifiersOf(receipt.origin, ctx);
  if (vkeys.length === 0) {
    return check(
      "unknown",
      "anchoring.log_untrusted",
      say(
        `The receipt is from the log "${receipt.origin.slice(0, 100)}", which this verifier does not know.`,
        "anchoring.log_untrusted",
        { origin: receipt.origin.slice(0, 100) },
      ),
      details,
    );
  }
  // 2 + 3. Checkpoint signature (cached per checkpoint) and inclusion proof.
  const cacheKey = `${receipt.origin}\n${receipt.checkpoint}`;
  let cp = ctx.cache?.checkpoints.get(cacheKey, 0) as Cp | null | undefined;
  if (cp === undefined) {
    // First sight of this checkpoint: the ledger's full receipt verification, signature included.
    let res: ReceiptResult | undefined;
    for (const k of vkeys) {
      res = verifyReceipt(receipt, k, treeHasherOf(ctx));
      if (res.ok || res.checkpoint) break;
    }
    if (res?.checkpoint && res.code !== "receipt.origin_mismatch") {
      cp = {
        origin: receipt.origin,
        size: res.checkpoint.size,
        rootHash: res.checkpoint.rootHash,
        text: receipt.checkpoint,
      };
      ctx.cache?.checkpoints.set(cacheKey, cp, NEVER);
    }
    if (!res?.ok) {
      const code = res?.code ?? "receipt.malformed";
      if (code === "receipt.malformed")
        return check(
          false,
          "anchoring.receipt_malformed",
          say(
            `The log receipt is not well-formed (${res?.message ?? ""}).`,
            "anchoring.receipt_malformed.detail",
            { detail: res?.message ?? "" },
          ),
          details,
        );
      if (code === "receipt.index_out_of_range" || code === "receipt.inclusion_invalid") {
        return check(
          false,
          "anchoring.inclusion_invalid",
          say(
            `The inclusion proof does not lead from this entry to the signed checkpoint.`,
            "anchoring.inclusion_invalid",
          ),
          details,
        );
      }
      if (code === "receipt.origin_mismatch")
        return check(
          false,
          "anchoring.origin_mismatch",
          say(
            `The receipt's checkpoint belongs to another log than the receipt names.`,
            "anchoring.origin_mismatch",
          ),
          details,
        );
      return check(
        false,
        "anchoring.checkpoint_signature",
        say(
          `The receipt's checkpoint is not signed by the log's key: it is forged or from another log.`,
          "anchoring.checkpoint_signature",
        ),
        details,
      );
    }
    cp = cp!;
    keepInclusion(cacheKey, receipt, ctx);
  } else if (cp === null) {
    return check(
      false,
      "anchoring.checkpoint_signature",
      say(
        `The receipt's checkpoint is not signed by the log's key: it is forged or from another log.`,
        "anchoring.checkpoint_signature",
      ),
      details,
    );
  } else if (
    ctx.cache?.inclusions.get(inclusionKey(cacheKey, receipt), 0) === undefined ||
    receipt.leafIndex >= cp.size
  ) {
    const proof: Uint8Array[] = [];
    for (const p of receipt.inclusionProof) {
      const b = tryFromBase64(p);
      if (!b || b.length !== 32)
        return check(
          false,
          "anchoring.receipt_malformed",
          say(
            `The inclusion proof holds a hash that is not 32 bytes of base64.`,
            "anchoring.proof_hash_malformed",
          ),
          details,
        );
      proof.push(b);
    }
    let ok: boolean;
    try {
      const hasher = treeHasherOf(ctx);
      ok =
        receipt.leafIndex < cp.size &&
        verifyInclusion(
          hasher,
          hasher.hashLeaf(encoder.encode(receipt.entry)),
          receipt.leafIndex,
          cp.size,
          proof,
          cp.rootHash,
        );
    } catch {
      ok = false;
    }
    if (!ok)
      return check(
        false,
        "anchoring.inclusion_invalid",
        say(
          `The inclusion proof does not lead from this entry to the signed checkpoint.`,
          "anchoring.inclusion_invalid",
        ),
        details,
      );
    keepInclusion(cacheKey, receipt, ctx);
  }
  details.treeSize = cp.size;
  details.checkpoint = receipt.checkpoint;
  // 4. Consistency with the newest checkpoint we know.
  const newest = await newestKnown(receipt.origin, ctx);
  const base = await consistencyCheck(receipt, cp, newest, details, ctx);
  if (base.ok === false && base.code !== "anchoring.inconsistent") return base;
  // 5. Witness quorum (C2SP tlog-witness): cosignatures on this checkpoint or a later consistent one.
  // Also run for an inconsistent log, so the report names the witness that saw the other tree.
  const q = await checkWitnessQuorum(cp, newest.views, ctx, (a, b) => consistent(a, b, ctx));
  if (q.state === "none" || (base.ok === false && q.state !== "conflict")) return base;
  if (q.state === "conflict") {
    return check(
      false,
      "anchoring.witness_conflict",
      say(
        `A witness saw a different tree of this log: ${q.evidence}. The log has shown two histories.`,
        "anchoring.witness_conflict",
        { evidence: q.evidence },
      ),
      { ...details, evidence: q.evidence },
    );
  }
  const w = { cosigned: q.cosigned, required: q.required, names: q.witnesses };
  if (q.state === "missing") {
    return check(
      "unknown",
      "anchoring.witness_quorum",
      say(
        `Recorded in the log at position ${receipt.leafIndex}, but only ${q.cosigned} of the ${q.required} required witnesses have cosigned this checkpoint or a later one consistent with it, so it is not yet known that everyone sees the same log.`,
        "anchoring.witness_quorum",
        {
          index: receipt.leafIndex,
          cosigned: q.cosigned,
          required: q.required,
        },
      ),
      { ...details, witnesses: w },
    );
  }
  const cosigned = say(
    `Cosigned by ${q.cosigned} of the ${q.required} required witnesses.`,
    "anchoring.witnessed",
    { cosigned: q.cosigned, required: q.required },
  );
  return {
    ...base,
    message: `${base.message} ${cosigned.text}`,
    ...(base.sentences ? { sentences: [...base.sentences, ...cosigned.sentences] } : {}),
    witnesses: w,
  };
}

/** Step 4 of `checkAnchoring`: consistency of the receipt's checkpoint with the newest known one. */
async function consistencyCheck(
  receipt: Receipt,
  cp: Cp,
  newest: { cp?: Cp; problem?: string },
  details: Record<string, unknown>,
  ctx: VerifyContext,
): Promise<Check> {
  if (!newest.cp) {
    return check(
      true,
      "anchoring.consistency_unchecked",
      newest.problem
        ? say(
            `Recorded in the log "${receipt.origin}" at position ${receipt.leafIndex} of ${cp.size}; the checkpoint is signed by the log. No newer checkpoint was available to confirm that the log has not been forked (${newest.problem}).`,
            "anchoring.no_newer.detail",
            {
              origin: receipt.origin,
              index: receipt.leafIndex,
              size: cp.size,
              detail: newest.problem,
            },
          )
        : say(
            `Recorded in the log "${receipt.origin}" at position ${receipt.leafIndex} of ${cp.size}; the checkpoint is signed by the log. No newer checkpoint was available to confirm that the log has not been forked.`,
            "anchoring.no_newer",
            { origin: receipt.origin, index: receipt.leafIndex, size: cp.size },
          ),
      { ...details, warning: true },
    );
  }
  details.newestKnownSize = newest.cp.size;
  const c = await consistent(cp, newest.cp, ctx);
  if (c === false) {
    return check(
      false,
      "anchoring.inconsistent",
      say(
        `The receipt's checkpoint (size ${cp.size}) is not consistent with the newest known checkpoint (size ${newest.cp.size}): the log shows two different histories.`,
        "anchoring.inconsistent",
        { size: cp.size, newest: newest.cp.size },
      ),
      details,
    );
  }
  if (c === "unknown") {
    return check(
      true,
      "anchoring.consistency_unchecked",
      say(
        `Recorded in the log at position ${receipt.leafIndex} of ${cp.size} (signed checkpoint). Consistency with the newest checkpoint (size ${newest.cp.size}) could not be checked: no proof was available.`,
        "anchoring.no_proof",
        { index: receipt.leafIndex, size: cp.size, newest: newest.cp.size },
      ),
      { ...details, warning: true },
    );
  }
  return check(
    true,
    "anchoring.verified",
    say(
      `Recorded in the log "${receipt.origin}" at position ${receipt.leafIndex}; the inclusion proof and the log's signature hold, and the log is consistent with its newest checkpoint (size ${newest.cp.size}).`,
      "anchoring.verified",
      { origin: receipt.origin, index: receipt.leafIndex, newest: newest.cp.size },
    ),
    details,
  );
}

/**
 * A log entry read through a receipt the caller fetched (not one the credential carried): its
 * checkpoint signed by a trusted key of its origin and its inclusion proof holding (RFC 9162
 * §2.1.3.2). `unknown` when the origin is not trusted here; `false` when the proof fails.
 */
export function provenEntry(
  receipt: unknown,
  ctx: VerifyContext,
): { ok: true; entry: Record<string, unknown> } | { ok: false | "unknown"; why: string } {
  if (!receiptShapeOk(receipt)) return { ok: false, why: "its receipt is not well-formed" };
  const vkeys = verifiersOf(receipt.origin, ctx);
  if (vkeys.length === 0)
    return { ok: "unknown", why: `the log "${receipt.origin.slice(0, 100)}" is not trusted here` };
  if (!vkeys.some((k) => verifyReceipt(receipt, k, treeHasherOf(ctx)).ok))
    return { ok: false, why: "its inclusion proof or checkpoint does not hold" };
  try {
    const entry: unknown = JSON.parse(receipt.entry);
    if (isObject(entry)) return { ok: true, entry };
  } catch {
    // reported below
  }
  return { ok: false, why: "the entry is not a JSON object" };
}
