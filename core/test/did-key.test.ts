import { describe, expect, it } from "vitest";
import { codeOf as code } from "./helpers.js";
import {
  base58Decode,
  base58Encode,
  decodeDidKey,
  didKeyVerificationMethod,
  encodeDidKey,
  sha256Hex,
  toHex,
  tryFromBase64Url,
  utf8,
} from "@meritlog/core";

describe("base58btc", () => {
  // draft-msporny-base58 §5 test vectors.
  it.each([
    ["Hello World!", "2NEpo7TZRRrLZSi2U"],
    [
      "The quick brown fox jumps over the lazy dog.",
      "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
    ],
  ])("%j", (plain, b58) => {
    expect(base58Encode(utf8(plain))).toBe(b58);
    expect(base58Decode(b58)).toEqual(utf8(plain));
  });
  it("keeps leading zero bytes as '1's", () => {
    expect(base58Encode(Uint8Array.of(0, 0, 0x28, 0x7f, 0xb4, 0xcd))).toBe("11233QC4");
    expect(base58Decode("11233QC4")).toEqual(Uint8Array.of(0, 0, 0x28, 0x7f, 0xb4, 0xcd));
  });
  it("rejects the empty string, characters outside the alphabet and over-long input", () => {
    for (const s of ["", "0", "O", "I", "l", "abc+"]) expect(base58Decode(s)).toBeUndefined();
    expect(base58Decode("2".repeat(129))).toBeUndefined();
    expect(base58Decode("2".repeat(129), 200)).toBeDefined();
  });
});

describe("did:key (W3C CCG did:key v0.7)", () => {
  // did:key test vectors (w3c-ccg/did-method-key, ed25519-x25519.json): the DID document's
  // publicKeyJwk of did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp.
  it("Ed25519 vector", () => {
    const did = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
    const k = decodeDidKey(did);
    expect(k.type).toBe("Ed25519");
    expect(k.publicKey).toEqual(tryFromBase64Url("O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik"));
    expect(encodeDidKey(k)).toBe(did);
    expect(didKeyVerificationMethod(did)).toBe(`${did}#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp`);
  });
  it("P-256 vector (§3.1.5, compressed point)", () => {
    const did = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169";
    const k = decodeDidKey(did);
    expect(k.type).toBe("P-256");
    expect(k.publicKey.length).toBe(33);
    expect([2, 3]).toContain(k.publicKey[0]);
    expect(encodeDidKey(k)).toBe(did);
  });
  it("reports an unsupported key type as unsupported, even for a long did:key", () => {
    // secp256k1 (0xe7 0x01), and an RSA did:key (0x85 0x24) of ~400 base58 characters.
    expect(
      code(() =>
        decodeDidKey(
          "did:key:" + "z" + base58Encode(Uint8Array.from([0xe7, 0x01, 2, ...new Uint8Array(32).fill(9)])),
        ),
      ),
    ).toBe("did.unsupported");
    expect(
      code(() =>
        decodeDidKey(
          "did:key:z" + base58Encode(Uint8Array.from([0x85, 0x24, ...new Uint8Array(270).fill(0x42)])),
        ),
      ),
    ).toBe("did.unsupported");
  });
  it.each([
    ["did:web:example.org", "did.invalid"],
    ["did:key:6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "did.invalid"],
    ["did:key:z0OIl", "did.invalid"],
    ["did:key:z" + base58Encode(Uint8Array.from([0xed, 0x01, 1, 2, 3])), "did.invalid"],
    ["did:key:z" + base58Encode(Uint8Array.from([0x80, 0x24, 4, ...new Uint8Array(32)])), "did.invalid"],
  ])("%s → %s", (did, want) => {
    expect(code(() => decodeDidKey(did))).toBe(want);
  });
  it("refuses to encode a key of the wrong length", () => {
    expect(code(() => encodeDidKey({ type: "Ed25519", publicKey: new Uint8Array(31) }))).toBe("key.invalid");
  });
});

describe("sha256Hex", () => {
  it("FIPS 180-4 vectors", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex(new Uint8Array(0))).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(sha256Hex("abc", () => new Uint8Array(32))).toBe(toHex(new Uint8Array(32)));
  });
});
