import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { MemoryStore } from "../src/kv-store.js";
import { createWallet } from "../src/keystore.js";
import { buildPresentation } from "../src/presentation.js";
import { packPresentation, unpackPresentation } from "../src/compact-vp.js";

// A presentation of the schemas known-answer credentials (as JWTs with a stand-in signature).
const known = JSON.parse(
  readFileSync(new URL("../../testdata/schemas/credentials.json", import.meta.url), "utf8"),
) as {
  valid: { credential: Record<string, unknown>; jwtClaims: Record<string, unknown> }[];
};
const b64u = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
const jwts = known.valid.map(
  (k) =>
    `${b64u({ alg: "EdDSA", typ: "JWT" })}.${b64u({ ...k.credential, ...k.jwtClaims })}.${Buffer.alloc(64, 7).toString("base64url")}`,
);
const QR_MAX_BYTES = 2953; // ISO/IEC 18004 version 40-L, byte mode

describe("compact presentation for QR codes", () => {
  it("round-trips a VP-JWT exactly and fits one QR code with a credential in it", async () => {
    const w = await createWallet(new MemoryStore(), "correct horse battery", { iterations: 2_000 });
    const vp = await buildPresentation(w, [jwts[0]!], {
      nonce: "n".repeat(43),
      audience: "http://127.0.0.1:8080",
    });
    const packed = await packPresentation(vp);
    expect(packed).toBeDefined();
    expect(await unpackPresentation(packed!)).toBe(vp);
    const link = `http://127.0.0.1:8080/wallet/#vpz=${packed}`;
    expect(vp.length).toBeGreaterThan(QR_MAX_BYTES);
    expect(link.length).toBeLessThan(QR_MAX_BYTES);
    const all = await buildPresentation(w, jwts, { nonce: "n".repeat(43), audience: "a" });
    expect(await unpackPresentation((await packPresentation(all))!)).toBe(all);
  });

  it("refuses damaged or hostile input with a coded error", async () => {
    for (const bad of ["", "!!!", "AAAA", Buffer.from("not deflate").toString("base64url")]) {
      await expect(unpackPresentation(bad), bad).rejects.toMatchObject({ code: "share.malformed" });
    }
    // A deflate bomb is cut off before it fills memory.
    const { deflateRawSync } = await import("node:zlib");
    const bomb = deflateRawSync(Buffer.concat([Buffer.from([1]), Buffer.alloc(4 * 1024 * 1024)])).toString(
      "base64url",
    );
    await expect(unpackPresentation(bomb)).rejects.toMatchObject({ code: "share.malformed" });
    await expect(packPresentation("a.b")).rejects.toMatchObject({ code: "share.malformed" });
  });
});

describe("compact presentation dictionary", () => {
  it("keeps text with private-use characters and dictionary words intact, and shrinks meritlog credentials", async () => {
    const w = await createWallet(new MemoryStore(), "correct horse battery", { iterations: 2_000 });
    const odd = `${b64u({ alg: "EdDSA" })}.${b64u({ note: '\ue000 VerifiableCredential \ue001 termsOfUse "quoted" ünïcödé' })}.${b64u("sig")}`;
    const vp = await buildPresentation(w, [odd, jwts[1]!], { nonce: "n".repeat(43), audience: "a" });
    expect(await unpackPresentation((await packPresentation(vp))!)).toBe(vp);
    const one = await buildPresentation(w, [jwts[0]!], {
      nonce: "n".repeat(43),
      audience: "http://127.0.0.1:8080",
    });
    const size = (await packPresentation(one))!.length;
    console.log(`compact presentation: ${size} characters (VP-JWT ${one.length})`);
    expect(size).toBeLessThan(1700);
    // A raw 0x01 cannot be tokenized safely: no compact form rather than a wrong one.
    const ctl = `${b64u({ alg: "EdDSA" })}.${Buffer.from('{"x":"\u0001"}').toString("base64url")}.${b64u("sig")}`;
    expect(
      await packPresentation(await buildPresentation(w, [ctl], { nonce: "n".repeat(43), audience: "a" })),
    ).toBeUndefined();
  });
});
