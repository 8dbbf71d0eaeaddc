import { gunzipSync as gunzip } from "node:zlib";
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import { apiExamples } from "../../tests/helpers/api-examples.js";

/** A fresh LevelDB in a temp dir (Uint8Array values, like the server's root db). */
export async function tempDb(): Promise<{
  db: Level<string, Uint8Array>;
  dir: string;
  dispose(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), "meritlog-issuer-"));
  const db = new Level<string, Uint8Array>(join(dir, "db"), { keyEncoding: "utf8", valueEncoding: "view" });
  await db.open();
  return {
    db,
    dir,
    async dispose() {
      await db.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// base58btc written out independently of the code under test, shared with the system tests.
export { base58btcDecode } from "../../tests/helpers/did-key.js";
import { base58btcDecode, base58btc as base58btcEncode } from "../../tests/helpers/did-key.js";

export interface Holder {
  did: string;
  key: KeyObject;
}
/** A fresh Ed25519 holder key and its did:key, built from the did:key spec with node:crypto. */
export function newHolder(): Holder {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  return { did: `did:key:z${base58btcEncode(Uint8Array.from([0xed, 0x01, ...raw]))}`, key: privateKey };
}

/** did:key (Ed25519) → raw public key, by hand: multibase `z` → base58btc → strip multicodec 0xed 0x01. */
export function publicKeyFromDidKey(did: string): Uint8Array {
  const m = /^did:key:z([1-9A-HJ-NP-Za-km-z]+)$/.exec(did);
  if (!m) throw new Error(`not a did:key: ${did}`);
  const bytes = base58btcDecode(m[1]!);
  if (bytes[0] !== 0xed || bytes[1] !== 0x01 || bytes.length !== 34)
    throw new Error("not an Ed25519 did:key");
  return bytes.subarray(2);
}

/** Verifies a compact JWS with Ed25519 via node:crypto, the key wrapped in the RFC 8410 SPKI DER prefix by hand. */
export function verifyJwtWithDidKey(jwt: string, did: string): boolean {
  const [h, p, s] = jwt.split(".");
  const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), publicKeyFromDidKey(did)]);
  const key = createPublicKey({ key: spki, format: "der", type: "spki" });
  return verify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s!, "base64url"));
}

export function decodeJwt(jwt: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [h, p] = jwt.split(".");
  return {
    header: JSON.parse(Buffer.from(h!, "base64url").toString()),
    payload: JSON.parse(Buffer.from(p!, "base64url").toString()),
  };
}

/** A did:key for a fresh Ed25519 holder key (for request subjects). */
export function holderDid(): string {
  // Fixed test vector: the did:key of RFC 8032 test 1's public key is not needed; any valid did:key works.
  return "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
}

/** docs/API.md example bodies, accepted exactly as written. */
export function microCredential(
  subject: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...apiExamples(subject).microCredential(), ...overrides };
}

export function attribution(subject: string): Record<string, unknown> {
  return {
    type: "Attribution",
    subject: { id: subject },
    contribution: {
      kind: "translation",
      role: "translator",
      description: "Translated the hand-pump repair guide into Hausa.",
    },
    object: {
      id: "urn:uuid:2f1c3f0e-8d7a-4c59-9b7e-0a4f1d2c3b4a",
      name: "Hand-pump repair guide",
      digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    },
  };
}

export function mpuAuthorship(subject: string): Record<string, unknown> {
  return {
    type: "MPUAuthorship",
    subject: { id: subject },
    mpu: {
      id: "urn:uuid:7d0b6a52-3c1e-4f0a-9e55-1b2c3d4e5f60",
      title: "Rainfall log, Kaduna North, 2026 wet season",
      category: "Data",
      digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
      license: "CC-BY-4.0",
      stage: "verification",
      verification: "peer-review",
      authors: [{ id: subject, role: "lead author" }],
    },
  };
}

/** Decodes a status list VC-JWT and returns its bitstring reader and payload. */
export function statusListBits(jwt: string): { get(i: number): boolean; payload: Record<string, unknown> } {
  const { payload } = decodeJwt(jwt);
  const encoded = (payload.credentialSubject as { encodedList: string }).encodedList;
  // Decoded by hand here (gunzip of multibase base64url), not with the package's Bitstring.
  const raw = gunzip(Buffer.from(encoded.slice(1), "base64url"));
  return { payload, get: (i) => ((raw[i >> 3]! >> (7 - (i & 7))) & 1) === 1 };
}
