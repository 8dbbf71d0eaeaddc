// The log's Ed25519 note signer (C2SP signed-note, signature type 0x01) on node:crypto with a
// cached KeyObject (parsing the key per signature is ~12× slower, DEPENDENCIES.md "Speeds").
import { generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import {
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519RawPublicKey,
  ed25519Seed,
  type SecretBox,
} from "@meritlog/core/node";
import { LedgerError } from "./errors.js";
import { ENC, LOG_KEY_KEY, SYNC_WRITE, type LedgerDb } from "./store.js";
import { appendNoteSignature, ed25519KeyId, formatVerifierKey, isValidKeyName } from "./verify/note.js";
import { tryFromBase64 } from "@meritlog/core";

/** Seals secrets before they reach the disk (`createSecretBox` of @meritlog/core/node is one). */
export type { SecretBox };

/** Signs note text for one key name. */
export interface NoteSigner {
  readonly name: string;
  /** uint32 key ID (signed-note "Ed25519 signatures"). */
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** `name+hexkeyid+base64(0x01||key)`. */
  readonly verifierKey: string;
  sign(message: Uint8Array): Uint8Array;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/**
 * A note signer for a 32-byte Ed25519 seed (RFC 8032 §5.1.5).
 * @throws LedgerError `log.malformed_key` for a bad name or seed length.
 */
export function createNoteSigner(name: string, seed: Uint8Array): NoteSigner {
  if (!isValidKeyName(name))
    throw new LedgerError("log.malformed_key", "key name must be non-empty without spaces or '+'");
  if (seed.length !== 32) throw new LedgerError("log.malformed_key", "Ed25519 seed must be 32 bytes");
  const privateKey: KeyObject = ed25519PrivateKey(seed);
  const publicKey = ed25519RawPublicKey(privateKey);
  const publicKeyObject = ed25519PublicKey(publicKey);
  return {
    name,
    keyId: ed25519KeyId(name, publicKey),
    publicKey,
    verifierKey: formatVerifierKey(name, publicKey),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
    verify: (message, signature) =>
      signature.length === 64 && verify(null, message, publicKeyObject, signature),
  };
}

/** Parses a golang.org/x/mod/sumdb/note signer key `PRIVATE+KEY+name+hexid+base64(0x01||seed)`. */
export function parseSignerKey(skey: string): NoteSigner {
  // PRIVATE+KEY+name+hexid+key, where the base64 key may itself contain '+'.
  const head = skey.split("+", 4);
  const parts = head.length === 4 ? [...head, skey.slice(head.join("+").length + 1)] : head;
  const bad = (): never => {
    throw new LedgerError("log.malformed_key", "malformed signer key");
  };
  if (parts.length !== 5 || parts[0] !== "PRIVATE" || parts[1] !== "KEY") bad();
  const raw = tryFromBase64(parts[4]!);
  if (raw === undefined || raw.length !== 33 || raw[0] !== 0x01) bad();
  const signer = createNoteSigner(parts[2]!, raw!.subarray(1));
  if (signer.keyId.toString(16).padStart(8, "0") !== parts[3]) bad();
  return signer;
}

/** Signs note text (ending in a newline) and returns the signed note (c2sp.org/signed-note). */
export function signNote(body: string, signer: NoteSigner): string {
  if (!body.endsWith("\n")) throw new LedgerError("log.malformed_note", "note text must end with a newline");
  return appendNoteSignature(body, signer.name, signer.keyId, signer.sign(Buffer.from(body, "utf8")));
}

/**
 * Loads the log's Ed25519 key from `db` (sealed with `box`), generating and storing it on first
 * start. The key name is the log origin. The private key never leaves `box`-sealed storage.
 * With `create: false` (any start but the first of a data folder) a missing key is an error: a
 * new key would re-sign the tree under another identity and orphan every receipt.
 * @throws LedgerError `log.corrupt` when the stored key does not open, is malformed, or is missing and may not be created.
 */
export async function loadOrCreateLogSigner(
  db: LedgerDb,
  origin: string,
  box: SecretBox,
  opts: { create?: boolean } = {},
): Promise<NoteSigner> {
  const sealed = (await db.get(LOG_KEY_KEY, ENC)) as Uint8Array | undefined;
  if (sealed !== undefined) {
    let seed: Uint8Array;
    try {
      seed = box.open(sealed);
    } catch (cause) {
      throw new LedgerError("log.corrupt", "the stored log key does not open with this secret", { cause });
    }
    if (seed.length !== 32) throw new LedgerError("log.corrupt", "the stored log key is malformed");
    return createNoteSigner(origin, seed);
  }
  if (opts.create === false)
    throw new LedgerError(
      "log.corrupt",
      "the database holds no log key; refusing to generate a new one for an existing log",
    );
  const { privateKey } = generateKeyPairSync("ed25519");
  const seed = ed25519Seed(privateKey);
  await db.put(LOG_KEY_KEY, box.seal(seed), SYNC_WRITE);
  return createNoteSigner(origin, seed);
}
