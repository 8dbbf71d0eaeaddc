// C2SP tlog-cosignature (Ed25519, `cosignature/v1`): a witness's timestamped statement that the
// checkpoint is the largest consistent tree head it has seen for the log. Browser-safe: hashing
// and verification go through @noble (note.ts), never node:crypto.
import { sha256 } from "@meritlog/core";
import { LedgerError } from "../errors.js";
import { parseCheckpoint, type Checkpoint } from "./checkpoint.js";
import { concatBytes, toBase64, tryFromBase64, tryFromHex, utf8 } from "./encoding.js";
import { ed25519Verifier, isValidKeyName, parseNote } from "./note.js";

/** Signature type byte of Ed25519 cosignatures (tlog-cosignature "Format"). */
export const COSIGNATURE_V1_ALG = 0x04;
/** `timestamped_signature`: a big-endian u64 timestamp, then a 64-byte Ed25519 signature. */
const COSIGNATURE_V1_SIZE = 8 + 64;
const MAX_TIMESTAMP = (1n << 63n) - 1n; // "It MUST NOT exceed 2^63 - 1"

/** A cosigner (witness) public key a client trusts. */
export interface CosignerKey {
  readonly name: string;
  /** uint32 key ID: SHA-256(name || "\n" || 0x04 || key)[:4]. */
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** The vkey `name+hexkeyid+base64(0x04||key)`. */
  readonly verifierKey: string;
}

/** key ID = SHA-256(<name> || "\n" || 0x04 || 32-byte Ed25519 public key)[:4] (tlog-cosignature "Format"). */
export function cosignatureKeyId(name: string, publicKey: Uint8Array): number {
  const h = sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, COSIGNATURE_V1_ALG), publicKey));
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}

/** The cosigner key for a name and raw 32-byte Ed25519 public key. @throws LedgerError `log.malformed_key` */
export function cosignerKey(name: string, publicKey: Uint8Array): CosignerKey {
  if (!isValidKeyName(name))
    throw new LedgerError("log.malformed_key", "cosigner name must be non-empty without spaces or '+'");
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32)
    throw new LedgerError("log.malformed_key", "Ed25519 cosigner key must be 32 bytes");
  const keyId = cosignatureKeyId(name, publicKey);
  const id = keyId.toString(16).padStart(8, "0");
  const verifierKey = `${name}+${id}+${toBase64(concatBytes(Uint8Array.of(COSIGNATURE_V1_ALG), publicKey))}`;
  return { name, keyId, publicKey: new Uint8Array(publicKey), verifierKey };
}

/**
 * Parses a cosigner vkey `name+hexkeyid+base64(0x04||32-byte key)` (signed-note "Verifier keys"
 * with tlog-cosignature's signature type 0x04); the key ID must match the key.
 * @throws LedgerError `log.malformed_key`
 */
export function parseCosignerKey(vkey: string): CosignerKey {
  const bad = (why: string): never => {
    throw new LedgerError("log.malformed_key", `malformed cosigner key: ${why}`);
  };
  if (typeof vkey !== "string") bad("not a string");
  // Split at the first two '+' only: the base64 key may itself contain '+'.
  const p1 = vkey.indexOf("+");
  const p2 = p1 < 0 ? -1 : vkey.indexOf("+", p1 + 1);
  if (p2 < 0) bad("expected name+keyid+key");
  const name = vkey.slice(0, p1);
  const idHex = vkey.slice(p1 + 1, p2);
  if (!isValidKeyName(name)) bad("invalid key name");
  if (!/^[0-9a-f]{8}$/.test(idHex) || tryFromHex(idHex) === undefined)
    bad("key ID is not 8 lower-case hex digits");
  const key = tryFromBase64(vkey.slice(p2 + 1));
  if (key === undefined) bad("key is not base64");
  if (key!.length === 0 || key![0] !== COSIGNATURE_V1_ALG)
    bad("not an Ed25519 cosignature/v1 key (type 0x04)");
  if (key!.length !== 33) bad("Ed25519 key is not 32 bytes");
  const k = cosignerKey(name, key!.subarray(1));
  if (k.keyId !== parseInt(idHex, 16)) bad("key ID does not match the key");
  return k;
}

/**
 * The signed message: `cosignature/v1\n`, `time <t>\n`, then the whole checkpoint note body with
 * its final newline (tlog-cosignature "Ed25519 signed message").
 * @throws LedgerError `log.malformed_checkpoint` for a body without a final newline or a bad time
 */
export function cosignedMessage(body: string, timestamp: number | bigint): Uint8Array {
  if (typeof body !== "string" || !body.endsWith("\n"))
    throw new LedgerError("log.malformed_checkpoint", "checkpoint text must end with a newline");
  const t = BigInt(timestamp);
  if (t < 0n || t > MAX_TIMESTAMP)
    throw new LedgerError("log.malformed_checkpoint", "cosignature time out of range");
  return utf8(`cosignature/v1\ntime ${t.toString()}\n${body}`);
}

/** Splits a `timestamped_signature` (RFC 8446 §3.3 serialization, big-endian u64). */
export function parseTimestampedSignature(
  sig: Uint8Array,
): { timestamp: bigint; signature: Uint8Array } | undefined {
  if (!(sig instanceof Uint8Array) || sig.length !== COSIGNATURE_V1_SIZE) return undefined;
  const timestamp = new DataView(sig.buffer, sig.byteOffset, 8).getBigUint64(0, false);
  if (timestamp > MAX_TIMESTAMP) return undefined;
  return { timestamp, signature: sig.slice(8) };
}

/** Formats one cosignature line `— <name> base64(keyID || timestamp || signature)\n`. */
export function formatCosignatureLine(
  key: { name: string; keyId: number },
  timestamp: number | bigint,
  signature: Uint8Array,
): string {
  const raw = new Uint8Array(4 + COSIGNATURE_V1_SIZE);
  const dv = new DataView(raw.buffer);
  dv.setUint32(0, key.keyId >>> 0, false);
  dv.setBigUint64(4, BigInt(timestamp), false);
  raw.set(signature, 12);
  return `\u2014 ${key.name} ${toBase64(raw)}\n`;
}

/** What one trusted cosigner said about a checkpoint. */
export interface CosignerOutcome {
  name: string;
  verifierKey: string;
  /** `valid`: a cosignature verified; `invalid`: a line with this key ID that does not verify; `absent`: none. */
  state: "valid" | "invalid" | "absent";
  /** POSIX seconds of the valid cosignature. */
  timestamp?: number;
  /** The verified signature line (with its newline), to carry over to another copy of the note. */
  line?: string;
}

export type CosignatureCode =
  "cosignature.verified" | "cosignature.malformed" | "cosignature.quorum_missing" | "cosignature.invalid";

/** Outcome of `verifyCosignatures`: a result, never an exception. */
export interface CosignatureResult {
  ok: boolean;
  code: CosignatureCode;
  message: string;
  checkpoint?: Checkpoint;
  /** One entry per trusted cosigner, in the order given. */
  cosigners: CosignerOutcome[];
  /** How many trusted cosigners produced a valid cosignature. */
  valid: number;
}

/** One signature line whose name and key ID match a trusted cosigner, ready to verify. */
export interface CosignatureCandidate {
  key: CosignerKey;
  /** Undefined when the line is not a `timestamped_signature` (it cannot verify). */
  timestamp?: bigint;
  signature?: Uint8Array;
  /** The `cosignature/v1` message the signature must be over. */
  message?: Uint8Array;
}

/**
 * Parses a signed checkpoint and picks the signature lines of trusted `cosigners` (by name and key
 * ID; all other lines are ignored, tlog-cosignature "Format"), so a caller can verify them with
 * its own Ed25519 (node:crypto on a server, WebCrypto or noble in a browser).
 * @throws LedgerError `log.malformed_note`, `log.malformed_checkpoint`
 */
export function cosignatureCandidates(
  note: string,
  cosigners: readonly CosignerKey[],
): { body: string; checkpoint: Checkpoint; candidates: CosignatureCandidate[] } {
  const { body, signatures } = parseNote(note);
  const checkpoint = parseCheckpoint(body);
  const candidates: CosignatureCandidate[] = [];
  for (const s of signatures) {
    const key = cosigners.find((k) => k.name === s.name && k.keyId === s.keyId);
    if (key === undefined) continue;
    const ts = parseTimestampedSignature(s.signature);
    candidates.push(
      ts === undefined
        ? { key }
        : {
            key,
            timestamp: ts.timestamp,
            signature: ts.signature,
            message: cosignedMessage(body, ts.timestamp),
          },
    );
  }
  return { body, checkpoint, candidates };
}

/** Ed25519 verification `(signature, message, publicKey)`; @noble/ed25519 (RFC 8032 strict) by default. */
export type Ed25519VerifyFn = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

const nobleVerify: Ed25519VerifyFn = (sig, msg, pk) => ed25519Verifier("cosigner", pk).verify(msg, sig);

/**
 * Verifies the cosignatures of trusted `cosigners` on a signed checkpoint note. Lines whose name
 * and key ID match no trusted cosigner are ignored (tlog-cosignature "Format": clients "ignore
 * any signature lines that don't match"); the log's own signature is NOT checked here (use
 * `verifyNote` with the log key). `ok` when at least `quorum` (default: all) cosigners verified
 * and none of them has a failing line. Never throws.
 */
export function verifyCosignatures(
  note: string,
  cosigners: readonly CosignerKey[],
  opts: { quorum?: number; maxTimestamp?: number; verify?: Ed25519VerifyFn } = {},
): CosignatureResult {
  let parsed: ReturnType<typeof cosignatureCandidates>;
  try {
    parsed = cosignatureCandidates(note, cosigners);
  } catch (e) {
    return {
      ok: false,
      code: "cosignature.malformed",
      message: e instanceof Error ? e.message : "malformed note",
      cosigners: [],
      valid: 0,
    };
  }
  const { checkpoint, candidates } = parsed;
  const verify = opts.verify ?? nobleVerify;
  const outcomes: CosignerOutcome[] = cosigners.map((k) => {
    let state: CosignerOutcome["state"] = "absent";
    let timestamp: number | undefined;
    let line: string | undefined;
    for (const c of candidates) {
      if (c.key !== k) continue;
      const inFuture =
        c.timestamp !== undefined &&
        opts.maxTimestamp !== undefined &&
        c.timestamp > BigInt(Math.floor(opts.maxTimestamp));
      let ok: boolean;
      try {
        ok =
          c.signature !== undefined &&
          c.message !== undefined &&
          !inFuture &&
          verify(c.signature, c.message, k.publicKey);
      } catch {
        ok = false;
      }
      if (!ok) {
        state = "invalid";
        break;
      }
      state = "valid";
      timestamp = Number(c.timestamp!);
      line = formatCosignatureLine(k, c.timestamp!, c.signature!);
    }
    const o: CosignerOutcome = { name: k.name, verifierKey: k.verifierKey, state };
    if (timestamp !== undefined) o.timestamp = timestamp;
    if (line !== undefined) o.line = line;
    return o;
  });
  return summarise(outcomes, checkpoint, opts.quorum ?? cosigners.length);
}

/** The result for per-cosigner outcomes (shared with callers that verify candidates themselves). */
function summarise(
  outcomes: CosignerOutcome[],
  checkpoint: Checkpoint,
  quorumWanted: number,
): CosignatureResult {
  const valid = outcomes.filter((o) => o.state === "valid").length;
  const quorum = Math.min(quorumWanted, outcomes.length);
  const bad = outcomes.find((o) => o.state === "invalid");
  if (bad)
    return {
      ok: false,
      code: "cosignature.invalid",
      message: `the cosignature of ${bad.name} does not verify`,
      checkpoint,
      cosigners: outcomes,
      valid,
    };
  if (valid < quorum)
    return {
      ok: false,
      code: "cosignature.quorum_missing",
      message: `cosigned by ${valid} of the ${quorum} witnesses required`,
      checkpoint,
      cosigners: outcomes,
      valid,
    };
  return {
    ok: true,
    code: "cosignature.verified",
    message: `cosigned by ${valid} of ${outcomes.length} witnesses`,
    checkpoint,
    cosigners: outcomes,
    valid,
  };
}
