import { WalletError } from "./errors.js";

// did:key for Ed25519 (W3C CCG did:key §3.1.2): "z" + base58btc(0xed 0x01 || 32-byte public key).
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58btc(bytes: Uint8Array): string {
  const digits: number[] = [0];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += digits[i]! << 8;
      digits[i] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let out = "";
  for (const b of bytes) {
    if (b !== 0) break;
    out += "1";
  }
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i]!];
  return out;
}

function unbase58btc(s: string): Uint8Array {
  const bytes: number[] = [0];
  for (const ch of s) {
    let carry = ALPHABET.indexOf(ch);
    if (carry < 0) throw new WalletError("encoding.malformed", "Not a base58 string.");
    for (let i = 0; i < bytes.length; i++) {
      carry += bytes[i]! * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (const ch of s) {
    if (ch !== "1") break;
    bytes.push(0);
  }
  return new Uint8Array(bytes.reverse());
}

/** did:key of an Ed25519 public key. */
export function didKeyFromPublicKey(pk: Uint8Array): string {
  const prefixed = new Uint8Array(34);
  prefixed.set([0xed, 0x01]);
  prefixed.set(pk, 2);
  return `did:key:z${base58btc(prefixed)}`;
}

/** Ed25519 public key of a did:key (with or without a #fragment). @throws WalletError encoding.malformed */
export function publicKeyFromDidKey(did: string): Uint8Array {
  const m = /^did:key:z([1-9A-HJ-NP-Za-km-z]+)(?:#.*)?$/.exec(did);
  if (!m) throw new WalletError("encoding.malformed", "Not an Ed25519 did:key.");
  const raw = unbase58btc(m[1]!);
  if (raw.length !== 34 || raw[0] !== 0xed || raw[1] !== 0x01) throw new WalletError("encoding.malformed", "Not an Ed25519 did:key.");
  return raw.slice(2);
}

/** The verification method id of a did:key: `did:key:z…#z…`. */
export const didKeyVerificationMethod = (did: string): string => `${did}#${did.slice("did:key:".length)}`;
