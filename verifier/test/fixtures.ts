// Test fixtures: deterministic Ed25519 keys from fixed seeds, JWT signing with node:crypto, a
// small independent RFC 9162 Merkle log with C2SP signed-note checkpoints, and Bitstring
// Status List credentials. Independent of the code under test on purpose (STYLE.md "Tests").
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";
import { gzipSync } from "node:zlib";

export const b64u = (b: Uint8Array | string): string => Buffer.from(b).toString("base64url");
export const b64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");
const sha256 = (...parts: (Uint8Array | string)[]): Buffer => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/** base58btc, written independently of verifier/src/core/base58.ts. */
export function base58(bytes: Uint8Array): string {
  let n = BigInt("0x" + (Buffer.from(bytes).toString("hex") || "0"));
  let s = "";
  while (n > 0n) {
    s = B58[Number(n % 58n)]! + s;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    s = "1" + s;
  }
  return s;
}

export interface TestKey {
  privateKey: KeyObject;
  publicKey: Uint8Array;
  did: string;
  kid: string;
  jwk: { kty: "OKP"; crv: "Ed25519"; x: string };
}

/** An Ed25519 key from a fixed seed string (RFC 8410 PKCS#8 wrapping of the 32-byte seed). */
export function keyFromSeed(seed: string): TestKey {
  const raw = sha256("meritlog-test-seed:", seed);
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), raw]);
  const privateKey = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const jwk = createPublicKey(privateKey).export({ format: "jwk" }) as { x: string };
  const publicKey = new Uint8Array(Buffer.from(jwk.x, "base64url"));
  const mb = "z" + base58(Uint8Array.from([0xed, 0x01, ...publicKey]));
  const did = `did:key:${mb}`;
  return { privateKey, publicKey, did, kid: `${did}#${mb}`, jwk: { kty: "OKP", crv: "Ed25519", x: jwk.x } };
}

/** The 32-byte seed of a TestKey (for did-jwt's EdDSASigner, which wants seed || public key). */
export function secretKeyBytes(k: TestKey): Uint8Array {
  const d = (k.privateKey.export({ format: "jwk" }) as { d: string }).d;
  return Uint8Array.from([...Buffer.from(d, "base64url"), ...k.publicKey]);
}

/** Signs a compact JWS with EdDSA; header and payload are serialised as given. */
export function signJwt(header: object, payload: object, key: TestKey): string {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  return `${input}.${b64u(sign(null, Buffer.from(input), key.privateKey))}`;
}

/** A Bitstring Status List credential (W3C BSL v1.0 §2.2) as a VC-JWT, with `set` indexes marked. */
export function statusListJwt(o: {
  signer: TestKey;
  issuer?: string;
  url: string;
  purpose: "revocation" | "suspension";
  set: number[];
  validFrom: string;
  validUntil?: string;
  ttl?: number;
}): string {
  const bits = Buffer.alloc(16 * 1024);
  // §2.1: index 0 is the left-most bit.
  for (const i of o.set) bits[i >> 3]! |= 0x80 >> (i & 7);
  const encodedList = "u" + b64u(gzipSync(bits));
  const issuer = o.issuer ?? o.signer.did;
  const cred: Record<string, unknown> = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    id: o.url,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer,
    validFrom: o.validFrom,
    ...(o.validUntil ? { validUntil: o.validUntil } : {}),
    credentialSubject: {
      id: `${o.url}#list`,
      type: "BitstringStatusList",
      statusPurpose: o.purpose,
      encodedList,
      ...(o.ttl ? { ttl: o.ttl } : {}),
    },
  };
  return signJwt(
    { alg: "EdDSA", kid: o.signer.kid, typ: "JWT" },
    { ...cred, iss: issuer, jti: o.url, nbf: Math.floor(Date.parse(o.validFrom) / 1000) },
    o.signer,
  );
}

// ---- RFC 9162 Merkle tree (§2.1.1) and proofs (§2.1.3.1, §2.1.4.1), recursive and small ----
const leafHash = (e: Uint8Array): Buffer => sha256(Buffer.from([0]), e);
const nodeHash = (l: Uint8Array, r: Uint8Array): Buffer => sha256(Buffer.from([1]), l, r);
const split = (n: number): number => 2 ** Math.floor(Math.log2(n - 1)); // largest power of 2 < n

function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function path(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}
function subproof(m: number, leaves: Buffer[], b: boolean): Buffer[] {
  const n = leaves.length;
  if (m === n) return b ? [] : [mth(leaves)];
  const k = split(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), b), mth(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}

export class TestLog {
  readonly entries: string[] = [];
  readonly key: TestKey;
  readonly keyId: Buffer;
  constructor(
    readonly origin: string,
    seed: string,
  ) {
    this.key = keyFromSeed(seed);
    this.keyId = sha256(origin, Buffer.from([0x0a, 0x01]), this.key.publicKey).subarray(0, 4);
  }
  get verifierKey(): string {
    return `${this.origin}+${this.keyId.toString("hex")}+${b64(Uint8Array.from([0x01, ...this.key.publicKey]))}`;
  }
  append(entry: string): number {
    this.entries.push(entry);
    return this.entries.length - 1;
  }
  private leaves(size: number): Buffer[] {
    return this.entries.slice(0, size).map((e) => leafHash(Buffer.from(e)));
  }
  root(size = this.entries.length): Buffer {
    return mth(this.leaves(size));
  }
  /** C2SP tlog-checkpoint body signed as a C2SP signed note. */
  checkpoint(size = this.entries.length, opts: { root?: Uint8Array; signer?: TestKey } = {}): string {
    const body = `${this.origin}\n${size}\n${b64(opts.root ?? this.root(size))}\n`;
    const sig = sign(null, Buffer.from(body), (opts.signer ?? this.key).privateKey);
    return `${body}\n\u2014 ${this.origin} ${b64(Buffer.concat([this.keyId, sig]))}\n`;
  }
  inclusionProof(index: number, size = this.entries.length): string[] {
    return path(index, this.leaves(size)).map(b64);
  }
  consistencyProof(m: number, n: number): string[] {
    return m === 0 || m === n ? [] : subproof(m, this.leaves(n), true).map(b64);
  }
  receipt(
    index: number,
    size = this.entries.length,
  ): { origin: string; leafIndex: number; entry: string; inclusionProof: string[]; checkpoint: string } {
    return {
      origin: this.origin,
      leafIndex: index,
      entry: this.entries[index]!,
      inclusionProof: this.inclusionProof(index, size),
      checkpoint: this.checkpoint(size),
    };
  }
}

/** RFC 8785 canonical JSON for the flat log entries used here (sorted keys, no spaces). */
export function canonicalEntry(e: Record<string, string | number>): string {
  return (
    "{" +
    Object.keys(e)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${JSON.stringify(e[k])}`)
      .join(",") +
    "}"
  );
}

export const hexSha256 = (s: string): string => sha256(s).toString("hex");
