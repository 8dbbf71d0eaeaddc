// Strict base64url (RFC 4648 §5) without padding, as JWS compact serialisation requires
// (RFC 7515 §2, §7.1). "Strict" means: only the URL-safe alphabet, no padding, no whitespace,
// no impossible lengths, and the unused low bits of the last character must be zero, so that
// every byte string has exactly one accepted encoding (a changed character never decodes to the
// same bytes).

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Decodes unpadded base64url; returns undefined for anything that is not its canonical form. */
export function base64urlDecode(s: string): Uint8Array | undefined {
  const n = s.length;
  if (n % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits (2 or 4) must be zero: RFC 4648 §3.5 canonical encoding.
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/** Encodes bytes as unpadded base64url. */
export function base64urlEncode(bytes: Uint8Array): string {
  let s = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    s += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]!;
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]!;
  }
  return s;
}

/** Decodes standard base64 with padding (RFC 4648 §4), as signed notes and receipts use; undefined if malformed. */
export function base64Decode(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  const body = s.replace(/={1,2}$/, "");
  if (/[^A-Za-z0-9+/]/.test(body)) return undefined;
  return base64urlDecode(body.replace(/\+/g, "-").replace(/\//g, "_"));
}
