import type { FastifyInstance } from "fastify";

/**
 * Every JSON answer as UTF-8 bytes, written once (issue 10, the HTTP layer's cost per request).
 *
 * Fastify's default serializer returns the JSON text as a string; the answer's Content-Length is
 * then `Buffer.byteLength` of it and the socket write encodes it again. Reports carry a signed
 * checkpoint, whose signature lines start with U+2014 (C2SP signed-note), so their JSON text is
 * a two-byte string, for which each of those passes costs about as much as the encoding itself
 * (a 7.8 KB verification report: 11 µs to measure and 22 µs to encode, against 11 µs for one
 * `TextEncoder.encode`, on the 2-core bench machine). The bytes are the same as before: JSON.stringify
 * escapes lone surrogates (ECMA-262 §25.5.2.3), so the UTF-8 encoding never replaces anything.
 *
 * The members of an answer are written one by one, so that a deep-frozen one (the decoded
 * credential the verifier keeps per JWT, shared by every report of that credential: a third of
 * a report's bytes) is written from the bytes of its first answers: its JSON cannot change. Each
 * piece is what `JSON.stringify` writes for it, so the answer is byte for byte
 * `JSON.stringify(payload)` (same member order, same skipped members; server/test/json-reply.test.ts).
 */
const encoder = new TextEncoder();

/**
 * How many levels of an answer are written member by member: the top one only. Writing a report's
 * checks one by one cost more than it saved (`JSON.stringify` of 5 KB of checks in one call
 * ~45 µs, in 8 calls ~65 µs, on the bench machine).
 */
const WALKED_LEVELS = 1;

/**
 * The JSON bytes of deep-frozen objects, by identity; `null` marks a frozen object that is not
 * plain data all the way down (never kept), `0` one seen once (kept from its second answer on, so
 * a credential verified once costs no copy).
 */
const frozenJson = new WeakMap<object, Uint8Array | null | 0>();

/** An object (not an array) whose JSON is its own enumerable members: no prototype but Object's, no toJSON. */
function isPlainRecord(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return (
    (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== "function"
  );
}

/** Whether `v` and everything in it is frozen plain data (data properties only), so its JSON never changes. */
function isFrozenData(v: object, depth = 0): boolean {
  if (depth > 64 || !Object.isFrozen(v)) return false;
  if (!Array.isArray(v) && !isPlainRecord(v)) return false;
  for (const d of Object.values(Object.getOwnPropertyDescriptors(v))) {
    if (!("value" in d)) return false;
    const x: unknown = d.value;
    if (x !== null && typeof x === "object" && !isFrozenData(x, depth + 1)) return false;
  }
  return true;
}

type Piece = string | Uint8Array;

/**
 * Appends the JSON text of `v` to `out` as pieces, as `JSON.stringify(v)` writes it; false (and
 * nothing appended) where JSON.stringify writes nothing (undefined, a function, a symbol).
 */
function put(v: unknown, out: Piece[], levels: number): boolean {
  if (v !== null && typeof v === "object") {
    const kept = frozenJson.get(v);
    if (kept) {
      out.push(kept);
      return true;
    }
    if (kept === 0) {
      const bytes = isFrozenData(v) ? encoder.encode(JSON.stringify(v)) : null;
      frozenJson.set(v, bytes);
      if (bytes) {
        out.push(bytes);
        return true;
      }
    } else if (kept === undefined && Object.isFrozen(v)) frozenJson.set(v, 0);
    if (levels > 0 && !Array.isArray(v) && isPlainRecord(v)) {
      out.push("{");
      let first = true;
      for (const k of Object.keys(v)) {
        const at = out.length;
        out.push(first ? `${JSON.stringify(k)}:` : `,${JSON.stringify(k)}:`);
        let x = v[k];
        // ECMA-262 §25.5.2.2 SerializeJSONProperty: a member's toJSON is called with its key.
        if (x !== null && typeof x === "object" && typeof (x as { toJSON?: unknown }).toJSON === "function")
          x = (x as { toJSON: (key: string) => unknown }).toJSON(k);
        if (put(x, out, levels - 1)) first = false;
        else out.length = at;
      }
      out.push("}");
      return true;
    }
  }
  const text: string | undefined = JSON.stringify(v);
  if (text === undefined) return false;
  out.push(text);
  return true;
}

/** The JSON text of `payload` as UTF-8 bytes (`JSON.stringify(payload)` encoded; empty when that is undefined). */
export function jsonBytes(payload: unknown): Buffer {
  const pieces: Piece[] = [];
  put(payload, pieces, WALKED_LEVELS);
  // Runs of text are joined and encoded together; kept bytes are copied in between.
  const chunks: Uint8Array[] = [];
  let text = "";
  let length = 0;
  for (const p of pieces) {
    if (typeof p === "string") {
      text += p;
      continue;
    }
    if (text !== "") {
      const b = encoder.encode(text);
      chunks.push(b);
      length += b.byteLength;
      text = "";
    }
    chunks.push(p);
    length += p.byteLength;
  }
  if (chunks.length === 0) {
    const b = encoder.encode(text);
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  }
  if (text !== "") {
    const b = encoder.encode(text);
    chunks.push(b);
    length += b.byteLength;
  }
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * Makes {@link jsonBytes} the reply serializer of `app` and every plugin registered on it (those
 * that set their own, or a route's own `reply.serializer`, keep theirs). Fastify sends a Buffer
 * as it is and takes its length as the Content-Length.
 */
export function registerJsonReply(app: FastifyInstance): void {
  // Typed as returning a string; Fastify's send path takes a Buffer from a serializer as well.
  app.setReplySerializer(jsonBytes as unknown as (payload: unknown, statusCode: number) => string);
}
