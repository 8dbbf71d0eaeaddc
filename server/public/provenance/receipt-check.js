// Offline receipt checks for the /provenance page, with the browser's own SubtleCrypto (no bundle):
// 1. the receipt's log entry names the artifact (RFC 8785 JSON; `artifact`, an anchor's `digest`
//    or an endorsement's `target`);
// 2. the inclusion proof leads from SHA-256(0x00 || entry) to the checkpoint's root (RFC 9162 §2.1.3.2);
// 3. the checkpoint is a C2SP signed note by the log key (`<name>+<hex key id>+<base64(0x01 || key)>`;
//    key id = SHA-256(name || "\n" || 0x01 || key)[:4]; signature line "— <name> base64(id || sig)").
// tests/provenance-receipt-check.test.ts runs testdata/ledger/{inclusion,receipts}.json through it.

const enc = new TextEncoder();

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function equal(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Standard base64 (RFC 4648 §4), strictly: undefined for anything else. */
export function fromBase64(text) {
  if (
    typeof text !== "string" ||
    !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)
  )
    return undefined;
  const bin = atob(text);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function fromHex(hex) {
  if (typeof hex !== "string" || !/^(?:[0-9a-f]{2})*$/i.test(hex)) return undefined;
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** RFC 9162 §2.1.3.2: whether `proof` leads from `leafHash` at `index` to `root` of a tree of `size`. */
export async function verifyInclusion(index, size, leafHash, proof, root) {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (!(p instanceof Uint8Array) || p.length !== 32 || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(concat(Uint8Array.of(1), p, r));
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await sha256(concat(Uint8Array.of(1), r, p));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

/** A signed-note verifier key: name, 4-byte key id and the Ed25519 public key; undefined if malformed. */
async function parseVerifierKey(vkey) {
  if (typeof vkey !== "string") return undefined;
  const a = vkey.indexOf("+");
  const b = a < 0 ? -1 : vkey.indexOf("+", a + 1);
  if (a <= 0 || b < 0) return undefined;
  const name = vkey.slice(0, a);
  const id = vkey.slice(a + 1, b);
  const key = fromBase64(vkey.slice(b + 1));
  if (!/^[0-9a-f]{8}$/.test(id) || !key || key.length !== 33 || key[0] !== 1) return undefined;
  const hash = await sha256(concat(enc.encode(`${name}\n`), key));
  if (toHex(hash.slice(0, 4)) !== id) return undefined;
  return { name, id: hash.slice(0, 4), key: key.slice(1) };
}

/** The checkpoint body of a signed note: origin, size, root; undefined if not a note. */
export function parseCheckpoint(text) {
  if (typeof text !== "string") return undefined;
  const split = text.indexOf("\n\n");
  if (split < 0) return undefined;
  const body = text.slice(0, split + 1);
  const lines = body.split("\n");
  if (lines.length < 4 || !/^[0-9]+$/.test(lines[1])) return undefined;
  const root = fromBase64(lines[2]);
  if (!root || root.length !== 32) return undefined;
  return { body, origin: lines[0], size: Number(lines[1]), root, signatures: text.slice(split + 2) };
}

/**
 * Whether the note carries a valid Ed25519 signature by `vkey`: true, false, or "unknown" when
 * this browser's SubtleCrypto has no Ed25519.
 */
async function noteSigned(cp, vkey) {
  const v = await parseVerifierKey(vkey);
  if (!v) return false;
  for (const line of cp.signatures.split("\n")) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m || m[1] !== v.name) continue;
    const sig = fromBase64(m[2]);
    if (!sig || sig.length !== 68 || !equal(sig.slice(0, 4), v.id)) continue;
    let key;
    try {
      key = await crypto.subtle.importKey("raw", v.key, { name: "Ed25519" }, false, ["verify"]);
    } catch {
      return "unknown";
    }
    return await crypto.subtle.verify({ name: "Ed25519" }, key, sig.slice(4), enc.encode(cp.body));
  }
  return false;
}

/** Whether the log entry is about the artifact `digest` (hex). */
export function entryNames(entryText, digest) {
  let e;
  try {
    e = JSON.parse(entryText);
  } catch {
    return false;
  }
  if (e === null || typeof e !== "object") return false;
  return e.artifact === digest || (e.kind === "anchor" && e.digest === digest) || e.target === digest;
}

/**
 * Checks a receipt offline. `digest` (hex), when given, must be named by the entry.
 * @returns {Promise<{ok: true | false | "unknown", code: string, message: string}>}
 */
export async function checkReceipt(receipt, verifierKey, digest) {
  const no = (code, message) => ({ ok: false, code, message });
  if (!receipt || typeof receipt !== "object") return no("receipt.malformed", "There is no receipt.");
  const { origin, leafIndex, entry, inclusionProof, checkpoint } = receipt;
  if (
    typeof entry !== "string" ||
    !Number.isSafeInteger(leafIndex) ||
    leafIndex < 0 ||
    !Array.isArray(inclusionProof)
  )
    return no("receipt.malformed", "The receipt is incomplete.");
  if (digest !== undefined && !entryNames(entry, digest))
    return no("receipt.entry_mismatch", "The log entry does not name this file.");
  const cp = parseCheckpoint(checkpoint);
  if (!cp) return no("receipt.checkpoint_malformed", "The receipt's checkpoint is not a signed note.");
  if (cp.origin !== origin) return no("receipt.origin_mismatch", "The checkpoint is from another log.");
  const proof = inclusionProof.map((p) => fromBase64(p));
  if (proof.some((p) => !p || p.length !== 32))
    return no("receipt.proof_malformed", "The inclusion proof is not a list of SHA-256 hashes.");
  const leaf = await sha256(concat(Uint8Array.of(0), enc.encode(entry)));
  if (!(await verifyInclusion(leafIndex, cp.size, leaf, proof, cp.root)))
    return no(
      "receipt.proof_invalid",
      "The inclusion proof does not lead from this entry to the log's checkpoint.",
    );
  const signed = await noteSigned(cp, verifierKey);
  if (signed === "unknown")
    return {
      ok: "unknown",
      code: "receipt.signature_unchecked",
      message: `Entry ${leafIndex} is in the log's tree of ${cp.size}; this browser cannot check the checkpoint's Ed25519 signature.`,
    };
  if (!signed) return no("receipt.signature_invalid", "The checkpoint is not signed by this log's key.");
  return {
    ok: true,
    code: "receipt.valid",
    message: `Checked here: entry ${leafIndex} is in the log's signed tree of ${cp.size}.`,
  };
}
