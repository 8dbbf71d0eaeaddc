// C2SP signed-note: text signed by one or more keys, here Ed25519 (signature type 0x01).
// Verification uses @noble/ed25519's synchronous API so it runs in browsers too.
import * as ed from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha512";
import { LedgerError } from "../errors.js";
import { concatBytes, sha256, toBase64, tryFromBase64, tryFromHex, utf8 } from "@meritlog/core";
import { parseCheckpoint, type Checkpoint } from "./checkpoint.js";

// @noble/ed25519 v3's synchronous API needs a SHA-512 implementation (DEPENDENCIES.md).
ed.hashes.sha512 = (message) => new Uint8Array(sha512(message));

/** Signature type identifier byte of Ed25519 (c2sp.org/signed-note "Signature types"). */
const ED25519_ALG = 0x01;
/** Go's sumdb/note limit; the spec requires accepting at least 16 (signed-note "Format"). */
const MAX_SIGNATURES = 100;

/** A key that can verify one signer's signatures on notes. */
export interface NoteVerifier {
  readonly name: string;
  /** The uint32 key ID (big-endian first 4 bytes of the key hash). */
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export type NoteCode = "note.valid" | "note.malformed" | "note.unknown_key" | "note.bad_signature";

/** Outcome of `verifyNote`: a result, never an exception, for any input. */
export interface NoteResult {
  ok: boolean;
  code: NoteCode;
  message: string;
  /** The note text (with its final newline) when the note parsed. */
  body?: string;
  /** The body parsed as a checkpoint, when it is one. */
  checkpoint?: Checkpoint;
}

/** Key names: non-empty, no Unicode spaces, no '+' (signed-note "Format"). */
export function isValidKeyName(name: string): boolean {
  return typeof name === "string" && name.length > 0 && !/[\s+]/u.test(name);
}

/** key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4] (signed-note "Ed25519 signatures"). */
export function ed25519KeyId(name: string, publicKey: Uint8Array): number {
  const h = sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, ED25519_ALG), publicKey));
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}

/** The verifier key string `name+hexkeyid+base64(0x01||key)` (as golang.org/x/mod/sumdb/note). */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  const id = ed25519KeyId(name, publicKey).toString(16).padStart(8, "0");
  return `${name}+${id}+${toBase64(concatBytes(Uint8Array.of(ED25519_ALG), publicKey))}`;
}

/** An Ed25519 note verifier for a raw 32-byte public key. */
export function ed25519Verifier(name: string, publicKey: Uint8Array): NoteVerifier {
  const keyId = ed25519KeyId(name, publicKey);
  return {
    name,
    keyId,
    publicKey,
    verify(message, signature) {
      if (signature.length !== 64) return false;
      try {
        // RFC 8032 strict verification (not ZIP-215), as Go's crypto/ed25519 which signed-note cites.
        return ed.verify(signature, message, publicKey, { zip215: false });
      } catch {
        return false;
      }
    },
  };
}

/**
 * Parses a verifier key `name+hexkeyid+base64(0x01||32-byte key)`; the key ID must match.
 * @throws LedgerError `log.malformed_key`
 */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const bad = (why: string): never => {
    throw new LedgerError("log.malformed_key", `malformed verifier key: ${why}`);
  };
  if (typeof vkey !== "string") bad("not a string");
  // Split at the first two '+' only: the base64 key may itself contain '+'.
  const p1 = vkey.indexOf("+");
  const p2 = p1 < 0 ? -1 : vkey.indexOf("+", p1 + 1);
  if (p2 < 0) bad("expected name+keyid+key");
  const name = vkey.slice(0, p1);
  const idHex = vkey.slice(p1 + 1, p2);
  const keyB64 = vkey.slice(p2 + 1);
  if (!isValidKeyName(name)) bad("invalid key name");
  if (idHex.length !== 8 || tryFromHex(idHex) === undefined) bad("key ID is not 8 lower-case hex digits");
  const key = tryFromBase64(keyB64);
  if (key === undefined) bad("key is not base64");
  if (key!.length === 0 || key![0] !== ED25519_ALG) bad("unsupported signature algorithm");
  if (key!.length !== 33) bad("Ed25519 key is not 32 bytes");
  const publicKey = key!.slice(1);
  const v = ed25519Verifier(name, publicKey);
  if (v.keyId !== parseInt(idHex, 16)) bad("key ID does not match the key");
  return v;
}

/** A signature line of a note. */
export interface NoteSignature {
  name: string;
  keyId: number;
  signature: Uint8Array;
}

/**
 * Splits a signed note into text and signatures (signed-note "Format").
 * @throws LedgerError `log.malformed_note`
 */
export function parseNote(text: string): { body: string; signatures: NoteSignature[] } {
  const bad = (why: string): never => {
    throw new LedgerError("log.malformed_note", `malformed note: ${why}`);
  };
  if (typeof text !== "string") bad("not a string");
  // Valid UTF-8 (no lone surrogates in a JS string) and no ASCII control characters but newline.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) bad("control character");
  }
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text))
    bad("not valid UTF-8");
  const split = text.lastIndexOf("\n\n");
  if (split < 0) bad("no blank line before the signatures");
  const body = text.slice(0, split + 1);
  const sigText = text.slice(split + 2);
  if (sigText.length === 0 || !sigText.endsWith("\n")) bad("signature block must end with a newline");
  const lines = sigText.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) bad("too many signatures");
  const signatures = lines.map((line) => {
    if (!line.startsWith("\u2014 ")) bad("signature line must start with an em dash and a space");
    const rest = line.slice(2);
    const sp = rest.indexOf(" ");
    if (sp < 0) bad("signature line has no signature");
    const name = rest.slice(0, sp);
    if (!isValidKeyName(name)) bad("invalid key name in signature");
    const raw = tryFromBase64(rest.slice(sp + 1));
    if (raw === undefined || raw.length < 5) bad("signature is not base64 of key ID and signature");
    const keyId = ((raw![0]! << 24) | (raw![1]! << 16) | (raw![2]! << 8) | raw![3]!) >>> 0;
    return { name, keyId, signature: raw!.slice(4) };
  });
  return { body, signatures };
}

/**
 * Verifies a signed note against trusted verifiers (signed-note "Signatures"): signatures of
 * unknown keys are ignored; a failing signature of a known key rejects the note; at least one
 * known key must have signed. Never throws.
 */
export function verifyNote(text: string, verifiers: readonly NoteVerifier[]): NoteResult {
  let parsed: { body: string; signatures: NoteSignature[] };
  try {
    parsed = parseNote(text);
  } catch (e) {
    return { ok: false, code: "note.malformed", message: e instanceof Error ? e.message : "malformed note" };
  }
  const msg = utf8(parsed.body);
  let verified = 0;
  for (const sig of parsed.signatures) {
    const v = verifiers.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (v === undefined) continue;
    if (!v.verify(msg, sig.signature)) {
      const id = sig.keyId.toString(16).padStart(8, "0");
      return {
        ok: false,
        code: "note.bad_signature",
        message: `invalid signature for key ${sig.name}+${id}`,
        body: parsed.body,
      };
    }
    verified++;
  }
  if (verified === 0)
    return {
      ok: false,
      code: "note.unknown_key",
      message: "note has no signature by a trusted key",
      body: parsed.body,
    };
  const result: NoteResult = {
    ok: true,
    code: "note.valid",
    message: "note signature verified",
    body: parsed.body,
  };
  try {
    result.checkpoint = parseCheckpoint(parsed.body);
  } catch {
    // Not every note is a checkpoint; callers that need one check `checkpoint`.
  }
  return result;
}

/** Appends one signature line to note text (signed-note "Format"). */
export function appendNoteSignature(
  body: string,
  name: string,
  keyId: number,
  signature: Uint8Array,
): string {
  const id = Uint8Array.of(keyId >>> 24, (keyId >>> 16) & 255, (keyId >>> 8) & 255, keyId & 255);
  return `${body}\n\u2014 ${name} ${toBase64(concatBytes(id, signature))}\n`;
}
