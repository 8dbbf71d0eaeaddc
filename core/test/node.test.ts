import { generateKeyPairSync, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CoreError, readBounded, decompressBounded, sha256, toHex } from "@meritlog/core";
import {
  createSecretBox,
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519RawPublicKey,
  ed25519Seed,
  nodeSha256,
  nodeSha256Hex,
} from "@meritlog/core/node";
import { gzipSync } from "node:zlib";

describe("Ed25519 KeyObjects from raw keys (RFC 8410)", () => {
  it("seed → private key → public key round-trips, and signatures verify with the raw public key", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const seed = ed25519Seed(privateKey);
    const k = ed25519PrivateKey(seed);
    const pub = ed25519RawPublicKey(k);
    expect(pub).toEqual(ed25519RawPublicKey(privateKey));
    const msg = Buffer.from("m");
    expect(verify(null, msg, ed25519PublicKey(pub), sign(null, msg, k))).toBe(true);
    expect(ed25519RawPublicKey(ed25519PrivateKey(new Uint8Array([...seed, ...pub])))).toEqual(pub);
  });
  it("RFC 8032 §7.1 test 1: the seed's public key", () => {
    const seed = Buffer.from("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "hex");
    expect(toHex(ed25519RawPublicKey(ed25519PrivateKey(seed)))).toBe(
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    );
  });
  it("refuses wrong lengths with key.invalid", () => {
    expect(() => ed25519PrivateKey(new Uint8Array(31))).toThrow(CoreError);
    expect(() => ed25519PublicKey(new Uint8Array(33))).toThrow(
      expect.objectContaining({ code: "key.invalid" }),
    );
  });
});

describe("node SHA-256 equals the portable one", () => {
  it("on bytes and text", () => {
    const b = new Uint8Array(100).map((_, i) => i);
    expect(toHex(nodeSha256(b))).toBe(toHex(sha256(b)));
    expect(nodeSha256Hex("héllo")).toBe(toHex(sha256(new TextEncoder().encode("héllo"))));
  });
});

describe("SecretBox (AES-256-GCM)", () => {
  const box = createSecretBox(new Uint8Array(32).fill(3));
  it("opens what it sealed; a fresh IV each time", () => {
    const a = box.seal(Uint8Array.of(1, 2, 3));
    expect(box.open(a)).toEqual(Uint8Array.of(1, 2, 3));
    expect(toHex(box.seal(Uint8Array.of(1, 2, 3)))).not.toBe(toHex(a));
  });
  it("refuses a tampered box, another key, a short key", () => {
    const a = box.seal(Uint8Array.of(1, 2, 3));
    a[a.length - 1]! ^= 1;
    expect(() => box.open(a)).toThrow(expect.objectContaining({ code: "secret.undecryptable" }));
    expect(() => createSecretBox(new Uint8Array(32)).open(box.seal(Uint8Array.of(1)))).toThrow(
      expect.objectContaining({ code: "secret.undecryptable" }),
    );
    expect(() => box.open(Uint8Array.of(1))).toThrow(
      expect.objectContaining({ code: "secret.undecryptable" }),
    );
    expect(() => createSecretBox(new Uint8Array(16))).toThrow(
      expect.objectContaining({ code: "secret.bad_key" }),
    );
  });
});

describe("bounded streams", () => {
  const streamOf = (...chunks: number[]) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const n of chunks) c.enqueue(new Uint8Array(n).fill(1));
        c.close();
      },
    });
  it("reads up to the bound and stops beyond it", async () => {
    expect((await readBounded(streamOf(3, 4), 7))?.length).toBe(7);
    expect(await readBounded(streamOf(3, 5), 7)).toBeUndefined();
  });
  it("decompresses within the bound; a bomb is refused", async () => {
    const gz = gzipSync(new Uint8Array(100_000));
    expect((await decompressBounded(gz, "gzip", 100_000))?.length).toBe(100_000);
    expect(await decompressBounded(gz, "gzip", 99_999)).toBeUndefined();
    await expect(decompressBounded(Uint8Array.of(1, 2, 3), "gzip", 10)).rejects.toThrow();
  });
});
