import { describe, expect, it } from "vitest";
import { verifyJWT } from "did-jwt";
import { Resolver } from "did-resolver";
import { getResolver } from "key-did-resolver";
import { MemoryStore } from "../src/kv-store.js";
import { createWallet } from "../src/keystore.js";
import { buildPresentation, parseChallengeInput, presentationLink } from "../src/presentation.js";

// An independent path: did-jwt resolves the did:key with key-did-resolver and checks EdDSA itself.
const resolver = new Resolver(getResolver());

describe("presentation", () => {
  it("builds a VP-JWT that an independent verifier accepts for the right audience", async () => {
    const w = await createWallet(new MemoryStore(), "correct horse battery", { iterations: 2_000 });
    const now = new Date();
    const challenge = { nonce: "n-0123456789abcdef", audience: "https://verifier.example" };
    const vp = await buildPresentation(w, ["a.b.c", "d.e.f"], challenge, now);
    const res = await verifyJWT(vp, { resolver, audience: challenge.audience });
    expect(res.issuer).toBe(w.did);
    expect(res.payload.nonce).toBe(challenge.nonce);
    expect(res.payload.vp.verifiableCredential).toEqual(["a.b.c", "d.e.f"]);
    expect(res.payload.vp.holder).toBe(w.did);
    expect(res.payload.exp! - res.payload.iat!).toBe(600);
    await expect(verifyJWT(vp, { resolver, audience: "https://other.example" })).rejects.toThrow();
    const [h, p, s] = vp.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...res.payload, nonce: "other-nonce-000" })).toString("base64url")}.${s}`;
    expect(p).not.toBe(forged.split(".")[1]);
    await expect(verifyJWT(forged, { resolver, audience: challenge.audience })).rejects.toThrow(/signature/i);
  });

  it("refuses an empty selection", async () => {
    const w = await createWallet(new MemoryStore(), "correct horse battery", { iterations: 2_000 });
    await expect(buildPresentation(w, [], { nonce: "n-0123456789", audience: "a" })).rejects.toMatchObject({
      code: "challenge.malformed",
    });
  });

  it("reads challenges from verify links and JSON, and writes share links", () => {
    expect(
      parseChallengeInput("https://v.example/verify#nonce=abcdefgh123&audience=https%3A%2F%2Fv.example"),
    ).toEqual({ nonce: "abcdefgh123", audience: "https://v.example" });
    expect(
      parseChallengeInput('{"nonce":"abcdefgh123","audience":"x","expiresAt":"2030-01-01T00:00:00Z"}'),
    ).toEqual({ nonce: "abcdefgh123", audience: "x", expiresAt: "2030-01-01T00:00:00Z" });
    expect(() => parseChallengeInput("https://v.example/verify")).toThrow(
      expect.objectContaining({ code: "challenge.malformed" }),
    );
    expect(() => parseChallengeInput("{oops")).toThrow(
      expect.objectContaining({ code: "challenge.malformed" }),
    );
    expect(presentationLink("https://v.example/verify/", "h.p.s")).toBe("https://v.example/verify/#vp=h.p.s");
  });
});
