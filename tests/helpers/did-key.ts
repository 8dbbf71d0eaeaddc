// An independent did:key (Ed25519) implementation for system tests, written from the
// did:key spec (multibase base58btc "z" + multicodec 0xed 0x01 + 32-byte key), not from our packages.
import { generateKeyPairSync, createPublicKey, sign, type KeyObject } from "node:crypto";

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export function base58btc(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = "1" + out;
  }
  return out;
}

export function base58btcDecode(text: string): Uint8Array {
  let n = 0n;
  for (const ch of text) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) throw new Error(`not base58btc: ${ch}`);
    n = n * 58n + BigInt(i);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  for (const ch of text) {
    if (ch !== "1") break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export function publicKeyFromDidKey(did: string): KeyObject {
  const m = /^did:key:z([1-9A-HJ-NP-Za-km-z]+)(#.*)?$/.exec(did);
  if (!m) throw new Error(`not a did:key: ${did}`);
  const raw = base58btcDecode(m[1]!);
  if (raw[0] !== 0xed || raw[1] !== 0x01 || raw.length !== 34) throw new Error("not an Ed25519 did:key");
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw.subarray(2)]), format: "der", type: "spki" });
}

export interface Holder {
  did: string;
  kid: string;
  privateKey: KeyObject;
  /** Compact JWS (EdDSA) over the given header and payload. */
  signJwt(header: Record<string, unknown>, payload: Record<string, unknown>): string;
}

export function newHolder(): Holder {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX.length);
  const did = `did:key:z${base58btc(Uint8Array.from([0xed, 0x01, ...raw]))}`;
  const kid = `${did}#${did.slice("did:key:".length)}`;
  return {
    did,
    kid,
    privateKey,
    signJwt(header, payload) {
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
      return `${input}.${sign(null, Buffer.from(input), privateKey).toString("base64url")}`;
    },
  };
}

const b64url = (s: string): string => Buffer.from(s, "utf8").toString("base64url");
