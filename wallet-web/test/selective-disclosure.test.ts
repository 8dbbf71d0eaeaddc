// The wallet's SD-JWT presentations, checked by an independent implementation: the SD-JWT is issued
// by `@sd-jwt/sd-jwt-vc` with a node:crypto Ed25519 key (not by meritlog's issuer), and the wallet's
// presentation is verified by `@sd-jwt/sd-jwt-vc` with the holder's did:key as the key-binding key.
import { describe, expect, it } from "vitest";
import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import { MemoryStore } from "../src/kv-store.js";
import { createWallet } from "../src/keystore.js";
import { publicKeyFromDidKey } from "../src/did-key.js";
import { disclosableFields, isSdJwtFormOf, presentSdJwt } from "../src/selective-disclosure.js";

const hasher = (d: string | ArrayBuffer) =>
  new Uint8Array(
    createHash("sha256")
      .update(typeof d === "string" ? d : Buffer.from(d))
      .digest(),
  );
const issuerKeys = generateKeyPairSync("ed25519");
const SPKI = Buffer.from("302a300506032b6570032100", "hex");
const keyOf = (did: string): KeyObject =>
  createPublicKey({ key: Buffer.concat([SPKI, publicKeyFromDidKey(did)]), format: "der", type: "spki" });

const sdjwt = (kbKey?: KeyObject) =>
  new SDJwtVcInstance({
    hasher,
    hashAlg: "sha-256",
    saltGenerator: () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url"),
    signer: (data: string) => sign(null, Buffer.from(data), issuerKeys.privateKey).toString("base64url"),
    signAlg: "EdDSA",
    verifier: (data: string, sig: string) =>
      verify(null, Buffer.from(data), issuerKeys.publicKey, Buffer.from(sig, "base64url")),
    ...(kbKey
      ? {
          kbVerifier: (data: string, sig: string) =>
            verify(null, Buffer.from(data), kbKey, Buffer.from(sig, "base64url")),
        }
      : {}),
  });

async function issueFor(holderDid: string): Promise<string> {
  const payload = {
    iss: "did:key:z6MkissuerForTheTest",
    sub: holderDid,
    jti: "urn:uuid:0190c2a4-0000-7000-8000-000000000001",
    vct: "urn:meritlog:vct:MicroCredential",
    cnf: {
      jwk: {
        kty: "OKP",
        crv: "Ed25519",
        x: Buffer.from(publicKeyFromDidKey(holderDid)).toString("base64url"),
      },
    },
    credentialSubject: {
      id: holderDid,
      achievement: {
        name: "Hand-pump repair",
        description: "Repairs India Mark II hand pumps.",
        criteria: { narrative: "Repaired three pumps under supervision." },
      },
    },
    evidence: [{ id: "urn:uuid:e1", name: "Repair log" }],
  };
  return await sdjwt().issue(payload, {
    credentialSubject: { achievement: { _sd: ["description"], criteria: { _sd: ["narrative"] } } },
    _sd: ["evidence"],
  } as never);
}

describe("selective disclosure", () => {
  it("lists the disclosable fields where the issuer committed to them", async () => {
    const w = await createWallet(new MemoryStore(), "correct horse battery", { iterations: 2_000 });
    const sd = await issueFor(w.did);
    expect(disclosableFields(sd).map((f) => [f.path, f.value])).toEqual([
      ["credentialSubject.achievement.description", "Repairs India Mark II hand pumps."],
      ["credentialSubject.achievement.criteria.narrative", "Repaired three pumps under supervision."],
      ["evidence", [{ id: "urn:uuid:e1", name: "Repair log" }]],
    ]);
    const vc = `e30.${Buffer.from(JSON.stringify({ jti: "urn:uuid:0190c2a4-0000-7000-8000-000000000001", iss: "did:key:z6MkissuerForTheTest" })).toString("base64url")}.x`;
    expect(isSdJwtFormOf(sd, vc, w.did)).toBe(true);
    expect(isSdJwtFormOf(sd, vc, "did:key:z6MkSomeoneElse")).toBe(false);
  });

  it("reveals only the chosen fields, bound to the verifier's nonce and audience, and an independent verifier agrees", async () => {
    const w = await createWallet(new MemoryStore(), "correct horse battery", { iterations: 2_000 });
    const sd = await issueFor(w.did);
    const challenge = { nonce: "n-0123456789abcdef", audience: "https://verifier.example" };
    const p = await presentSdJwt(sd, ["evidence"], w, challenge);
    const independent = sdjwt(keyOf(w.did));
    const r = await independent.verify(p, { keyBindingNonce: challenge.nonce });
    expect(r.kb?.payload).toMatchObject({ aud: challenge.audience, nonce: challenge.nonce });
    const claims = r.payload as unknown as {
      credentialSubject: { achievement: Record<string, unknown> };
      evidence?: unknown;
    };
    expect(claims.evidence).toEqual([{ id: "urn:uuid:e1", name: "Repair log" }]);
    expect(claims.credentialSubject.achievement.description).toBeUndefined();
    expect(
      (claims.credentialSubject.achievement.criteria as Record<string, unknown>).narrative,
    ).toBeUndefined();
    // Nothing revealed: still a valid key-bound presentation.
    const none = await presentSdJwt(sd, [], w, challenge);
    expect(none.split("~")).toHaveLength(2);
    await expect(independent.verify(none, { keyBindingNonce: challenge.nonce })).resolves.toBeDefined();
    // Another nonce, or a presentation altered after binding (a disclosure dropped): refused.
    await expect(independent.verify(p, { keyBindingNonce: "another-nonce-000" })).rejects.toThrow();
    const parts = p.split("~");
    await expect(
      independent.verify(`${parts[0]}~${parts[parts.length - 1]}`, { keyBindingNonce: challenge.nonce }),
    ).rejects.toThrow();
  });
});
