/**
 * P-256 point decompression (SEC 1 v2 §2.3.4; the curve is FIPS 186-5 / SP 800-186 §3.2.1.3).
 * Written here rather than taken from `@noble/curves` for one reason: the wallet bundles this
 * package, and noble's P-256 adds 17 KB gzipped to a wallet whose budget is 120 KB, for the one
 * operation of turning a did:key's 33-byte compressed key into the x and y a JWK needs. Nothing
 * here signs or verifies (WebCrypto and node:crypto do), and nothing is secret, so constant time
 * does not matter. Checked against noble's output in core/test/p256-point.test.ts.
 */
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

function modPow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = base % P;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

const toBig = (bytes: Uint8Array): bigint =>
  BigInt(`0x${Array.from(bytes, (x) => x.toString(16).padStart(2, "0")).join("") || "0"}`);
const to32 = (n: bigint): Uint8Array =>
  Uint8Array.from(n.toString(16).padStart(64, "0").match(/../g)!, (h) => parseInt(h, 16));

/**
 * The uncompressed point `0x04 || x || y` of a compressed one (`0x02|0x03 || x`).
 * @throws Error when the bytes are not a compressed point on P-256.
 */
export function decompressP256(compressed: Uint8Array): Uint8Array {
  if (compressed.length !== 33 || (compressed[0] !== 0x02 && compressed[0] !== 0x03))
    throw new Error("not a compressed P-256 point");
  const x = toBig(compressed.subarray(1));
  if (x >= P) throw new Error("x is not a field element");
  // y² = x³ − 3x + b (mod p); p ≡ 3 (mod 4), so a square root is (y²)^((p+1)/4).
  const y2 = (((x * x * x - 3n * x + B) % P) + P) % P;
  let y = modPow(y2, (P + 1n) / 4n);
  if ((y * y) % P !== y2) throw new Error("not a point on P-256");
  if ((y & 1n) !== BigInt(compressed[0]! & 1)) y = P - y;
  const out = new Uint8Array(65);
  out[0] = 0x04;
  out.set(to32(x), 1);
  out.set(to32(y), 33);
  return out;
}
