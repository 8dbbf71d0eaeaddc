import { CREDENTIAL_CONTEXTS, NO_CONVERSION_NOTICES } from "@meritlog/schemas";
import { readBounded, tryFromBase64Url } from "@meritlog/core";
import { WalletError } from "./errors.js";
import { fromBase64, fromUtf8, toBase64Url, utf8 } from "./encoding.js";

/**
 * A compact, lossless form of a presentation, small enough for one QR code (ISO/IEC 18004 holds
 * at most 2,953 bytes). A VP-JWT nests credential JWTs, base64url inside base64url, which does
 * not compress; here every JWT segment is decoded to its bytes, each credential JWT inside the VP
 * payload is replaced by a placeholder, and the whole is deflated (RFC 1951). Unpacking rebuilds
 * the exact same strings, so the signatures still hold; nothing is re-serialized.
 *
 * Long strings every meritlog credential repeats (the no-conversion notice, the contexts, the
 * common member names) are replaced by short tokens (0x01, U+E000 + index) before deflating: JSON never
 * holds a raw 0x01, so the substitution is unambiguous, and the dictionary is part of the format.
 *
 * Layout before deflate: 0x02, then fields as (uint32 big-endian length, bytes): VP header, VP
 * payload with `"#<i>#"` for credential i, VP signature, then header, payload, signature of each
 * credential; payloads with the dictionary tokens.
 */
const VERSION = 2;
const DICTIONARY: readonly string[] = [
  ...Object.values(NO_CONVERSION_NOTICES).flatMap((n) => [JSON.stringify(n.text), JSON.stringify(n.id)]),
  ...CREDENTIAL_CONTEXTS.map((c) => JSON.stringify(c)),
  ...[
    "https://www.w3.org/2018/credentials/v1",
    "VerifiableCredential",
    "VerifiablePresentation",
    "OpenBadgeCredential",
    "BitstringStatusListEntry",
    "statusListCredential",
    "statusPurpose",
    "statusListIndex",
    "NoConversionNotice",
    "credentialSubject",
    "AchievementSubject",
    "achievementType",
    "verifiableCredential",
    "credentialStatus",
    "termsOfUse",
    "validFrom",
    "validUntil",
    "description",
    "revocation",
    "suspension",
    "Achievement",
    "criteria",
    "narrative",
    "evidence",
    "digestSRI",
    "Profile",
    "did:key:z6Mk",
  ].map((w) => JSON.stringify(w).slice(1, -1)),
].slice(0, 250);

// Token: 0x01 then a private-use character (U+E000 + index), which no dictionary word contains.
const squeeze = (text: string): string =>
  DICTIONARY.reduce((s, w, i) => s.split(w).join(`\u0001${String.fromCharCode(0xe000 + i)}`), text);
const expand = (text: string): string =>
  text.replace(
    // eslint-disable-next-line no-control-regex -- 0x01 is the token marker, on purpose
    /\u0001([\ue000-\ue0ff])/g,
    (_, c: string) => DICTIONARY[c.charCodeAt(0) - 0xe000] ?? "\ufffd",
  );
const MAX_UNPACKED = 256 * 1024;
/** The wallet page that unpacks and forwards to /verify/ (see main.ts). */
export const PACKED_FRAGMENT = "vpz=";

async function pipe(
  data: Uint8Array,
  stream: CompressionStream | DecompressionStream,
  limit = Infinity,
): Promise<Uint8Array> {
  const out = await readBounded(new Blob([data as BlobPart]).stream().pipeThrough(stream), limit);
  if (out === undefined) throw new WalletError("share.malformed", "The shared presentation is too large.");
  return out;
}

function segments(jwt: string): [Uint8Array, Uint8Array, Uint8Array] {
  const parts = jwt.split(".");
  if (parts.length !== 3) throw new WalletError("share.malformed", "Not a signed token.");
  // Only canonical base64url round-trips byte for byte: core's strict decoder accepts nothing else.
  const bytes = parts.map((p) => tryFromBase64Url(p));
  if (bytes.some((b) => b === undefined))
    throw new WalletError("share.malformed", "The token is not canonical base64url.");
  return bytes as [Uint8Array, Uint8Array, Uint8Array];
}

/** Packs a VP-JWT into base64url text; `undefined` if it does not round-trip exactly. */
export async function packPresentation(vp: string): Promise<string | undefined> {
  const [h, p, s] = segments(vp);
  let payload = fromUtf8(p);
  const creds: string[] = [];
  let list: unknown;
  try {
    list = (JSON.parse(payload) as { vp?: { verifiableCredential?: unknown } }).vp?.verifiableCredential;
  } catch {
    return undefined;
  }
  for (const c of Array.isArray(list) ? list : []) {
    if (typeof c !== "string" || !payload.includes(`"${c}"`)) return undefined;
    payload = payload.replace(`"${c}"`, `"#${creds.length}#"`);
    creds.push(c);
  }
  if (payload.includes("\u0001") || creds.some((c) => fromUtf8(segments(c)[1]).includes("\u0001")))
    return undefined;
  const fields: Uint8Array[] = [
    h,
    utf8(squeeze(payload)),
    s,
    ...creds.flatMap((c) => {
      const [ch, cp, cs] = segments(c);
      return [ch, utf8(squeeze(fromUtf8(cp))), cs];
    }),
  ];
  const size = 1 + fields.reduce((n, f) => n + 4 + f.length, 0);
  const raw = new Uint8Array(size);
  const view = new DataView(raw.buffer);
  raw[0] = VERSION;
  let o = 1;
  for (const f of fields) {
    view.setUint32(o, f.length);
    raw.set(f, o + 4);
    o += 4 + f.length;
  }
  const packed = toBase64Url(await pipe(raw, new CompressionStream("deflate-raw")));
  return (await unpackPresentation(packed).catch(() => undefined)) === vp ? packed : undefined;
}

/** Rebuilds the VP-JWT from {@link packPresentation}'s text. @throws WalletError share.malformed */
export async function unpackPresentation(packed: string): Promise<string> {
  let raw: Uint8Array;
  try {
    raw = await pipe(fromBase64(packed), new DecompressionStream("deflate-raw"), MAX_UNPACKED);
  } catch (cause) {
    if (cause instanceof WalletError && cause.code === "share.malformed") throw cause;
    throw new WalletError("share.malformed", "The shared presentation is damaged.", { cause });
  }
  if (raw[0] !== VERSION) throw new WalletError("share.malformed", "Unknown shared presentation format.");
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const fields: Uint8Array[] = [];
  let o = 1;
  while (o < raw.length) {
    if (o + 4 > raw.length) throw new WalletError("share.malformed", "The shared presentation is damaged.");
    const len = view.getUint32(o);
    if (o + 4 + len > raw.length)
      throw new WalletError("share.malformed", "The shared presentation is damaged.");
    fields.push(raw.subarray(o + 4, o + 4 + len));
    o += 4 + len;
  }
  if (fields.length < 3 || (fields.length - 3) % 3 !== 0)
    throw new WalletError("share.malformed", "The shared presentation is damaged.");
  const jwt = (h: Uint8Array, p: Uint8Array, s: Uint8Array) =>
    `${toBase64Url(h)}.${toBase64Url(p)}.${toBase64Url(s)}`;
  let payload = expand(fromUtf8(fields[1]!));
  for (let i = 0; i < (fields.length - 3) / 3; i++) {
    const c = jwt(fields[3 + 3 * i]!, utf8(expand(fromUtf8(fields[4 + 3 * i]!))), fields[5 + 3 * i]!);
    payload = payload.replace(`"#${i}#"`, `"${c}"`);
  }
  return jwt(fields[0]!, utf8(payload), fields[2]!);
}
