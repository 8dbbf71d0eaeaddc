// The answer of the batch routes (docs/API.md "What an issuer has issued"): `{"results":[…]}`.
const utf8 = new TextEncoder();

/**
 * `JSON.stringify({ results })` as UTF-8 bytes, the same bytes, each result serialised and
 * encoded on its own into one growing buffer. The whole answer as one string was ~5.5 M
 * characters for 1000 items, two bytes each (every receipt's checkpoint has a U+2014, C2SP
 * signed-note): an 11 MB string in V8's large-object space per batch, which only a full
 * collection frees, then encoded again. One result's text (~11 KB) dies young. Sent as bytes:
 * for a string reply Fastify measures its UTF-8 length and the socket encodes it again.
 */
export function resultsJson(results: readonly object[]): Buffer {
  let out = Buffer.allocUnsafe(results.length * 6 * 1024 + 64);
  let at = out.write('{"results":[', "latin1");
  results.forEach((r, i) => {
    const text = JSON.stringify(r);
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; 3 more for the comma and the closing "]}".
    if (out.length - at < text.length * 3 + 3) {
      const grown = Buffer.allocUnsafe(Math.max(out.length * 2, at + text.length * 3 + 3));
      out.copy(grown, 0, 0, at);
      out = grown;
    }
    if (i > 0) out[at++] = 0x2c; // ","
    at += utf8.encodeInto(text, out.subarray(at)).written;
  });
  at += out.write("]}", at, "latin1");
  return out.subarray(0, at);
}
