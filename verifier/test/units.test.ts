// Unit tests with known answers: did:key, Ed25519 (RFC 8032 §7.1), the
// Bitstring Status List bit order and the spec's example list, did:web URLs, text rendering.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { toBase64Url as base64urlEncode, tryFromBase64Url as base64urlDecode } from "@meritlog/core";
import {
  decodeJwt,
  didKeyFromPublicKey,
  publicKeyFromDidKey,
  didWebUrl,
  readBit,
  nobleEd25519,
  renderReportText,
  VerifierError,
  resolveDid,
  createVerifierCache,
} from "../src/core/index.js";
import { createNodeEd25519 } from "../src/node-ed25519.js";
import { gunzip } from "../src/core/gzip.js";
import { CHECK_ORDER, CHECK_TITLES } from "../src/core/text-report.js";
import { readFile } from "node:fs/promises";
import { keyFromSeed, base58, signJwt } from "./fixtures.js";
import { corpus, corpusContext } from "./corpus-context.js";
import { verifyCredential } from "../src/core/index.js";

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));

describe("decodeJwt", () => {
  it("throws coded VerifierErrors, never SyntaxError", () => {
    const cases: [string, string][] = [
      ["a.b", "jwt.segments"],
      ["a.b.c.d", "jwt.segments"],
      ["!.e30.", "jwt.header_base64"],
      [".e30.", "jwt.header_base64"],
      ["e30.!.", "jwt.payload_base64"],
      ["e30.e30.!", "jwt.signature_base64"],
      [`${base64urlEncode(new TextEncoder().encode("{"))}.e30.`, "jwt.header_json"],
      [`e30.${base64urlEncode(new TextEncoder().encode("nul"))}.`, "jwt.payload_json"],
      [`e30.${base64urlEncode(Uint8Array.of(0xff, 0xfe))}.`, "jwt.payload_json"],
      ["e30.e30." + "A".repeat(300_000), "jwt.too_large"],
    ];
    for (const [jwt, code] of cases) {
      try {
        decodeJwt(jwt);
        expect.unreachable(jwt);
      } catch (e) {
        expect(e).toBeInstanceOf(VerifierError);
        expect((e as VerifierError).code, jwt.slice(0, 30)).toBe(code);
      }
    }
  });
});

describe("did:key (Ed25519, multicodec 0xed01, base58btc)", () => {
  it("matches an independent encoding and round-trips", () => {
    const k = keyFromSeed("units");
    expect(didKeyFromPublicKey(k.publicKey)).toBe(k.did);
    expect(publicKeyFromDidKey(k.did)).toEqual(k.publicKey);
    expect(k.did.startsWith("did:key:z6Mk")).toBe(true);
  });
  it("rejects other key types and malformed identifiers with codes", () => {
    const secp = "did:key:z" + base58(Uint8Array.from([0xe7, 0x01, ...new Uint8Array(33).fill(2)]));
    expect(() => publicKeyFromDidKey(secp)).toThrow(expect.objectContaining({ code: "did.unsupported" }));
    for (const bad of [
      "did:web:x",
      "did:key:f00",
      "did:key:z0OIl",
      "did:key:z" + base58(Uint8Array.from([0xed, 0x01, 1, 2])),
    ]) {
      expect(() => publicKeyFromDidKey(bad), bad).toThrow(expect.objectContaining({ code: "did.invalid" }));
    }
  });
});

describe("Ed25519 verifiers agree on RFC 8032 §7.1 TEST 1 and TEST 2", () => {
  const vectors = [
    {
      pk: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      msg: "",
      sig: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    },
    {
      pk: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      msg: "72",
      sig: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    },
  ];
  for (const ed of [createNodeEd25519(), createNodeEd25519(10, { offload: true }), nobleEd25519]) {
    it.each(vectors)("pk $pk", async (v) => {
      expect(await ed.verify(hex(v.sig), hex(v.msg), hex(v.pk))).toBe(true);
      const bad = hex(v.sig);
      bad[0]! ^= 1;
      expect(await ed.verify(bad, hex(v.msg), hex(v.pk))).toBe(false);
      expect(await ed.verify(hex(v.sig).slice(0, 63), hex(v.msg), hex(v.pk))).toBe(false);
    });
  }
});

describe("Bitstring Status List", () => {
  it("index 0 is the left-most bit (BSL v1.0 §2.1)", () => {
    const bits = Uint8Array.of(0b1000_0000, 0b0000_0001);
    expect(readBit(bits, 0)).toBe(true);
    expect(readBit(bits, 1)).toBe(false);
    expect(readBit(bits, 15)).toBe(true);
    expect(readBit(bits, 16)).toBeUndefined();
  });
  it("decodes the specification's example encodedList to 16 KiB of zeros", async () => {
    // W3C Bitstring Status List v1.0, Example "BitstringStatusListCredential".
    const enc = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";
    const bits = await gunzip(base64urlDecode(enc.slice(1))!, 1 << 20);
    expect(bits.length).toBe(16 * 1024);
    expect(bits.every((b) => b === 0)).toBe(true);
  });
  it("refuses a list that decompresses beyond the cap", async () => {
    await expect(gunzip(gzipSync(Buffer.alloc(2 << 20)), 1 << 20)).rejects.toThrow();
  });
});

describe("did:web", () => {
  it("maps identifiers to https URLs (did:web §3.2)", () => {
    expect(didWebUrl("did:web:example.com")).toBe("https://example.com/.well-known/did.json");
    expect(didWebUrl("did:web:example.com:user:alice")).toBe("https://example.com/user/alice/did.json");
    expect(didWebUrl("did:web:example.com%3A8443")).toBe("https://example.com:8443/.well-known/did.json");
    expect(didWebUrl("did:web:exa/mple.com")).toBeUndefined();
    expect(didWebUrl("did:web:")).toBeUndefined();
  });
  it("is resolved only through the fetcher, and says so", async () => {
    const k = keyFromSeed("web-issuer");
    const did = "did:web:issuer.example";
    const ctx = corpusContext(createNodeEd25519(), { fetcher: {} });
    const off = await resolveDid(did, ctx);
    expect(off).toMatchObject({ ok: "unknown", code: "issuer.network_disabled" });
    const urls: string[] = [];
    const doc = {
      id: did,
      verificationMethod: [
        { id: `${did}#k1`, type: "Multikey", controller: did, publicKeyMultibase: k.did.slice(8) },
      ],
    };
    const on = {
      ...ctx,
      cache: createVerifierCache(),
      fetcher: { didWeb: async (u: string) => (urls.push(u), doc) },
    };
    const r1 = await resolveDid(did, on);
    const r2 = await resolveDid(did, on);
    expect(r1).toMatchObject({
      ok: true,
      method: "did:web",
      url: "https://issuer.example/.well-known/did.json",
      fetchedAt: corpus.now.replace("Z", ".000Z"),
    });
    expect(r2.ok).toBe(true);
    expect(urls).toHaveLength(1); // cached
    const wrong = await resolveDid(did, {
      ...on,
      cache: createVerifierCache(),
      fetcher: { didWeb: async () => ({ ...doc, id: "did:web:evil.example" }) },
    });
    expect(wrong).toMatchObject({ ok: false, code: "issuer.did_document_invalid" });
    const slow = await resolveDid(did, {
      ...on,
      cache: createVerifierCache(),
      fetchTimeoutMs: 20,
      fetcher: { didWeb: () => new Promise(() => undefined) },
    });
    expect(slow).toMatchObject({ ok: "unknown", code: "issuer.did_unreachable" });

    // A whole credential from a did:web issuer: verified with the fetched key, and said so.
    const payload = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiableCredential"],
      issuer: did,
      credentialSubject: { id: "did:example:1" },
      iss: did,
      sub: "did:example:1",
    };
    const jwt = signJwt({ alg: "EdDSA", kid: `${did}#k1`, typ: "JWT" }, payload, k);
    const report = await verifyCredential(jwt, undefined, { ...on, cache: createVerifierCache() });
    expect(report.checks.signature.code).toBe("signature.valid");
    expect(report.checks.issuer).toMatchObject({
      code: "issuer.unregistered",
      resolvedFrom: "https://issuer.example/.well-known/did.json",
    });
    const offline = await verifyCredential(jwt, undefined, ctx);
    expect(offline.verdict).toBe("invalid");
    expect(offline.checks.signature).toMatchObject({ ok: "unknown", code: "signature.network_disabled" });
    expect(offline.checks.issuer).toMatchObject({ ok: "unknown", code: "issuer.network_disabled" });
  });
});

describe("renderReportText", () => {
  it("puts the verdict first and every check with a word, and the notice verbatim", async () => {
    const c = corpus.cases[0]!;
    const r = await verifyCredential(c.jwt, c.receipt, corpusContext(createNodeEd25519()));
    const text = renderReportText(r);
    expect(text.split("\n")[0]).toMatch(/^Credential: VALID /);
    for (const t of [
      "Signature",
      "Issuer",
      "Validity period",
      "Status",
      "Recorded in the public log",
      "Scope",
      "No-conversion notice",
    ])
      expect(text).toContain(`[ OK ] ${t}`);
    expect(text).toContain(String(r.checks.noConversion?.notice));
    expect(text).toContain("state: active");
    // The page's order: each check's line comes after the one before it in CHECK_ORDER.
    const at = CHECK_ORDER.filter((n) => (r.checks as Record<string, unknown>)[n]).map((n) =>
      text.indexOf(`] ${CHECK_TITLES[n]}:`),
    );
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("lists checks in the /verify page's order and with its titles", async () => {
    const page = await readFile(
      new URL("../../server/public/verify/report-view.js", import.meta.url),
      "utf8",
    );
    const order = /const CHECK_ORDER = \[([^\]]*)\];/.exec(page)?.[1] ?? "";
    expect([...order.matchAll(/"(\w+)"/g)].map((m) => m[1])).toEqual([...CHECK_ORDER]);
    // The page's titles are its English catalogue's `check.<name>` entries (messages.js).
    const messages = await readFile(
      new URL("../../server/public/verify/messages.js", import.meta.url),
      "utf8",
    );
    const en = messages.slice(0, messages.indexOf("fr:") > 0 ? messages.indexOf("fr:") : undefined);
    const pageTitles = Object.fromEntries(
      [...en.matchAll(/"check\.(\w+)": "([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    expect(pageTitles).toEqual({ ...CHECK_TITLES });
  });
});
