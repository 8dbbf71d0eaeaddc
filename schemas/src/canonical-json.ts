/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the byte form of every log entry, so that anyone
 * can recompute an entry's leaf hash from its fields.
 */
import { SchemaError } from "./errors.js";

// With the `u` flag a valid surrogate pair is one code point, so this matches only unpaired
// surrogates, which RFC 8785 §3.2.2.2 (via I-JSON, RFC 7493 §2.1) does not allow.
const LONE_SURROGATE = /\p{Surrogate}/u;

function fail(message: string): never {
  throw new SchemaError("schema.invalid", `not canonicalizable as JSON: ${message}`);
}

function serialize(value: unknown, stack: Set<object>, out: string[]): void {
  switch (typeof value) {
    case "string":
      if (LONE_SURROGATE.test(value)) fail("string with an unpaired surrogate");
      // RFC 8785 §3.2.2.2: the ECMAScript JSON.stringify string form (short escapes for
      // \b \t \n \f \r \" \\, \u00xx lowercase for other controls, everything else literal).
      out.push(JSON.stringify(value));
      return;
    case "number":
      // RFC 8785 §3.2.2.3: ECMAScript Number.prototype.toString (ECMA-262 §6.1.6.1.20);
      // NaN and ±Infinity are not JSON. -0 serialises as 0.
      if (!Number.isFinite(value)) fail(`number ${String(value)}`);
      out.push(Object.is(value, -0) ? "0" : String(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "object":
      break;
    default:
      fail(`a value of type ${typeof value}`);
  }
  if (value === null) {
    out.push("null");
    return;
  }
  if (stack.has(value)) fail("a cycle");
  stack.add(value);
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      const v: unknown = value[i];
      if (v === undefined) fail(`undefined at array index ${i}`);
      serialize(v, stack, out);
    }
    out.push("]");
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) fail("an object that is not a plain object");
    const obj = value as Record<string, unknown>;
    // RFC 8785 §3.2.3: members sorted by their names as arrays of UTF-16 code units, which is
    // exactly JavaScript's default string comparison. Undefined members are omitted, as JSON.stringify does.
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    out.push("{");
    keys.forEach((k, i) => {
      if (i > 0) out.push(",");
      if (LONE_SURROGATE.test(k)) fail("property name with an unpaired surrogate");
      out.push(JSON.stringify(k), ":");
      serialize(obj[k], stack, out);
    });
    out.push("}");
  }
  stack.delete(value);
}

/**
 * The RFC 8785 canonical JSON text of a JSON value: no whitespace, members sorted by UTF-16 code
 * units, ECMAScript number and string forms.
 * @throws SchemaError `schema.invalid` for values outside the JSON data model (NaN, Infinity,
 * undefined in arrays, bigint, functions, symbols, class instances, cycles, unpaired surrogates).
 * @example canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  serialize(value, new Set(), out);
  return out.join("");
}

/** UTF-8 bytes of `canonicalJson(value)`. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

/**
 * True when `text` is already in RFC 8785 canonical form (parses and re-serialises to the same
 * text). Never throws; invalid JSON is not canonical.
 */
export function isCanonicalJson(text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  try {
    return canonicalJson(parsed) === text;
  } catch {
    return false;
  }
}
