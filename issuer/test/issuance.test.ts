import { createHash } from "node:crypto";
import { verifyReceipt } from "@meritlog/ledger/verify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attribution,
  publicKeyFromDidKey,
  decodeJwt,
  holderDid,
  microCredential,
  mpuAuthorship,
  statusListBits,
  verifyJwtWithDidKey,
} from "./helpers.js";
import { openFixture, BASE_URL } from "./fixture.js";
import { privateKeyStore } from "../src/agent.js";
import { createSecretBox } from "../src/secret-box.js";

let f: Awaited<ReturnType<typeof openFixture>>;
let issuer: Awaited<ReturnType<typeof f.service.createIssuer>>;
const holder = holderDid();
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const sha256Bytes = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  f = await openFixture();
  issuer = await f.service.createIssuer({ name: "Kaduna Repair Academy", url: "https://academy.example" });
});
afterAll(async () => await f.dispose());

describe("issuer registry", () => {
  it("creates an Ed25519 did:key issuer, returns the token once and anchors the key", async () => {
    expect(issuer.did).toMatch(/^did:key:z6Mk/);
    expect(issuer.token).toMatch(/^mlt_[A-Za-z0-9_-]{43}$/);
    const entry = JSON.parse(issuer.keyReceipt.entry);
    expect(verifyReceipt(issuer.keyReceipt, f.log.verifierKey).ok).toBe(true);
    expect(entry).toMatchObject({
      kind: "key",
      event: "create",
      kid: `${issuer.did}#${issuer.did.slice(8)}`,
      issuer: issuer.did,
      v: 1,
    });
    expect(entry.digest).toBe(sha256Bytes(publicKeyFromDidKey(issuer.did)));
    expect((await f.service.listIssuers()).find((i) => i.id === issuer.id)).toEqual({
      id: issuer.id,
      did: issuer.did,
      name: "Kaduna Repair Academy",
      url: "https://academy.example",
      createdAt: issuer.createdAt,
      previousDids: [],
      previousKeys: [],
    });
    expect(f.service.authenticate(issuer.token).id).toBe(issuer.id);
    expect(() => f.service.authenticate(issuer.token + "x")).toThrow(
      expect.objectContaining({ code: "auth.bad_token" }),
    );
  });
});

describe("issuance", () => {
  for (const [name, body] of [
    ["MicroCredential", microCredential(holder)],
    ["Attribution", attribution(holder)],
    ["MPUAuthorship", mpuAuthorship(holder)],
  ] as const) {
    it(`issues a ${name} as an Open Badges 3.0 VC-JWT that verifies with the did:key`, async () => {
      const r = await f.service.issue(issuer.id, body);
      expect(r.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(verifyJwtWithDidKey(r.jwt, issuer.did)).toBe(true);
      const { header, payload } = decodeJwt(r.jwt);
      // OB3 §8.2.4.1: header only alg, kid (a DID URL of the issuer), typ JWT.
      expect(header).toEqual({ alg: "EdDSA", kid: `${issuer.did}#${issuer.did.slice(8)}`, typ: "JWT" });
      const cred = payload as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(payload.iss).toBe(issuer.did);
      expect(cred.issuer.id ?? cred.issuer).toBe(issuer.did);
      expect(payload.sub).toBe(cred.credentialSubject.id);
      expect(payload.sub).toBe(holder);
      expect(payload.jti).toBe(r.id);
      expect(cred.id).toBe(r.id);
      expect(payload.nbf).toBe(Date.parse(cred.validFrom) / 1000);
      if (cred.validUntil) expect(payload.exp).toBe(Date.parse(cred.validUntil) / 1000);
      else expect(payload.exp).toBeUndefined();
      expect(payload.vc).toBeUndefined();
      // One status object (OB 3.0 JSON Schema), a two-bit "message" entry carrying revocation and suspension.
      expect(Array.isArray(cred.credentialStatus)).toBe(false);
      expect(cred.credentialStatus).toEqual({
        id: `${BASE_URL}/v1/status/${issuer.id}-message#${r.status.statusListIndex}`,
        type: "BitstringStatusListEntry",
        statusPurpose: "message",
        statusListIndex: r.status.statusListIndex,
        statusListCredential: `${BASE_URL}/v1/status/${issuer.id}-message`,
        statusSize: 2,
        statusMessage: [
          { status: "0x0", message: "active" },
          { status: "0x1", message: "suspended" },
          { status: "0x2", message: "revoked" },
          { status: "0x3", message: "revoked" },
        ],
      });
      expect(r.status).toMatchObject({
        state: "active",
        statusListCredential: `${BASE_URL}/v1/status/${issuer.id}-message`,
      });
      // The receipt's entry is the canonical issue entry over SHA-256 of this JWT, without the holder.
      const entry = JSON.parse(r.receipt.entry);
      // Authorship and attribution entries name the artifact they are about (version 2, issue 14).
      const artifact = name === "MicroCredential" ? [] : ["artifact"];
      expect(Object.keys(entry)).toEqual([
        ...artifact,
        "at",
        "credentialId",
        "digest",
        "issuer",
        "kind",
        "v",
      ]);
      expect(entry).toMatchObject({
        kind: "issue",
        credentialId: r.id,
        issuer: issuer.did,
        digest: sha256(r.jwt),
        v: artifact.length ? 2 : 1,
      });
      expect(r.receipt.entry).not.toContain(holder);
      expect(verifyReceipt(r.receipt, f.log.verifierKey)).toMatchObject({
        ok: true,
        leafIndex: r.receipt.leafIndex,
      });
      expect(await f.service.findByDigest(sha256(r.jwt))).toMatchObject({
        kind: "issue",
        credentialId: r.id,
        receipt: r.receipt,
      });
    });
  }

  it("never writes a holder DID to the log", () => {
    expect(f.log.entries.length).toBeGreaterThan(3);
    for (const e of f.log.entries) expect(e).not.toContain(holder);
  });

  it("refuses a name implying certification (422 claims.*) and unknown fields (schema.invalid), allocating nothing", async () => {
    const before = f.log.entries.length;
    const bad = microCredential(holder);
    (bad.achievement as { name: string }).name = "Certified Hand-Pump Technician";
    await expect(f.service.issue(issuer.id, bad)).rejects.toMatchObject({
      code: expect.stringMatching(/^claims\./),
    });
    await expect(
      f.service.issue(issuer.id, { ...microCredential(holder), colour: "blue" }),
    ).rejects.toMatchObject({ code: "schema.invalid" });
    await expect(f.service.issue(issuer.id, { ...microCredential(holder), price: 5 })).rejects.toMatchObject({
      code: expect.stringMatching(/^claims\./),
    });
    expect(f.log.entries.length).toBe(before);
  });

  it("assigns distinct random indexes", async () => {
    const rs = await Promise.all(
      Array.from({ length: 40 }, () => f.service.issue(issuer.id, attribution(holder))),
    );
    const idx = rs.map((r) => Number(r.status.statusListIndex));
    expect(new Set(idx).size).toBe(idx.length);
    // Random, not sequential: 40 sequential indexes would span 39.
    expect(Math.max(...idx) - Math.min(...idx)).toBeGreaterThan(1000);
  });

  it("optionally returns the VC Data Model 1.1 form, anchored too", async () => {
    const r = await f.service.issue(issuer.id, microCredential(holder), { vc11: true });
    expect(r.vc11).toBeDefined();
    const { header, payload } = decodeJwt(r.vc11!.jwt);
    expect(header.alg).toBe("EdDSA");
    expect(verifyJwtWithDidKey(r.vc11!.jwt, issuer.did)).toBe(true);
    const vc = payload.vc as { "@context": string[]; credentialSubject: { id: string } };
    expect(vc["@context"][0]).toBe("https://www.w3.org/2018/credentials/v1");
    expect(vc["@context"]).not.toContain("https://www.w3.org/ns/credentials/v2");
    expect(payload).toMatchObject({ iss: issuer.did, sub: holder, jti: r.id });
    expect(verifyReceipt(r.vc11!.receipt, f.log.verifierKey).ok).toBe(true);
    expect(JSON.parse(r.vc11!.receipt.entry)).toMatchObject({
      kind: "issue",
      credentialId: r.id,
      digest: sha256(r.vc11!.jwt),
    });
    expect(await f.service.findByDigest(sha256(r.vc11!.jwt))).toMatchObject({ credentialId: r.id });
  });

  it("serves the status list as a VC-JWT signed by the issuer", async () => {
    const jwt = await f.service.statusListJwt(`${issuer.id}-revocation`);
    expect(verifyJwtWithDidKey(jwt, issuer.did)).toBe(true);
    const { payload } = statusListBits(jwt);
    expect(payload).toMatchObject({
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      issuer: issuer.did,
      id: `${BASE_URL}/v1/status/${issuer.id}-revocation`,
      credentialSubject: { type: "BitstringStatusList", statusPurpose: "revocation" },
    });
    expect(Date.parse(payload.validUntil as string)).toBeGreaterThan(Date.now());
    await expect(f.service.statusListJwt(`${issuer.id}-other`)).rejects.toMatchObject({
      code: "status.not_found",
    });
    await expect(f.service.statusListJwt(`0000000000000000-revocation`)).rejects.toMatchObject({
      code: "status.not_found",
    });
  });

  it("anchors artifacts by digest and finds them again", async () => {
    const digest = sha256("an artifact");
    const r = await f.service.anchor(issuer.id, { digest, mediaType: "application/pdf", note: "guide v2" });
    const entry = JSON.parse(r.receipt.entry);
    expect(verifyReceipt(r.receipt, f.log.verifierKey).ok).toBe(true);
    expect(entry).toMatchObject({
      kind: "anchor",
      digest,
      issuer: issuer.did,
      mediaType: "application/pdf",
      v: 1,
    });
    // The note is the issuer's own text: kept in its records, never in the public log.
    expect(r.receipt.entry).not.toContain("guide v2");
    expect(await f.service.findByDigest(digest)).toMatchObject({ note: "guide v2" });
    expect(await f.service.findByDigest(digest)).toMatchObject({ kind: "anchor", receipt: r.receipt });
    // The SRI form of the same digest anchors the same hex digest.
    const sri = `sha256-${Buffer.from(digest, "hex").toString("base64")}`;
    expect(JSON.parse((await f.service.anchor(issuer.id, { digest: sri })).receipt.entry).digest).toBe(
      digest,
    );
    await expect(f.service.anchor(issuer.id, { digest: "abc" })).rejects.toMatchObject({
      code: "schema.invalid",
    });
  });

  it("keeps issuers, tokens, records and allocations across a restart, with private keys sealed and tokens hashed", async () => {
    const r = await f.service.issue(issuer.id, microCredential(holder));
    const again = await f.reopen();
    expect(again.authenticate(issuer.token).id).toBe(issuer.id);
    expect((await again.getRecord(r.id, issuer.id)).jwt).toBe(r.jwt);
    const r2 = await again.issue(issuer.id, attribution(holder));
    expect(verifyJwtWithDidKey(r2.jwt, issuer.did)).toBe(true);
    expect(r2.status.statusListIndex).not.toBe(r.status.statusListIndex);
    // Key metadata carries no private material...
    const kid = (await again.agent.didManagerGet({ did: issuer.did })).keys[0]!.kid;
    expect((await again.agent.keyManagerGet({ kid })).privateKeyHex).toBeUndefined();
    // ...and no stored value anywhere in the database holds the private seed in clear.
    const veramoDb = f.db.sublevel<string, Uint8Array>("veramo", {
      keyEncoding: "utf8",
      valueEncoding: "view",
    }) as never;
    const seed = Buffer.from(
      (await privateKeyStore(veramoDb, createSecretBox(f.secret)).getKey({ alias: kid })).privateKeyHex,
      "hex",
    ).subarray(0, 32);
    // The issuer token is stored only as its SHA-256, so it is not in the database either.
    const needles = [
      seed,
      Buffer.from(seed.toString("hex")),
      Buffer.from(seed.toString("base64")),
      Buffer.from(seed.toString("base64url")),
      Buffer.from(issuer.token),
      Buffer.from(issuer.token.slice(4)),
    ];
    let scanned = 0;
    for await (const [, v] of f.db.iterator({ keyEncoding: "utf8", valueEncoding: "view" })) {
      scanned++;
      for (const n of needles) expect(Buffer.from(v).includes(n)).toBe(false);
    }
    expect(scanned).toBeGreaterThan(20);
  });
});

describe("VC Data Model 1.1 form interoperates with did-jwt-vc", () => {
  it("verifies with did-jwt-vc's verifyCredential and a did:key resolver", async () => {
    const { verifyCredential } = await import("did-jwt-vc");
    const { Resolver } = await import("did-resolver");
    const { getResolver } = await import("key-did-resolver");
    const r = await f.service.issue(issuer.id, microCredential(holder), { vc11: true });
    const verified = await verifyCredential(r.vc11!.jwt, new Resolver(getResolver()));
    expect(verified.issuer).toBe(issuer.did);
    expect(verified.verifiableCredential.id).toBe(r.id);
    expect(verified.verifiableCredential.credentialSubject.id).toBe(holder);
    expect(verified.verifiableCredential.expirationDate).toBe("2028-01-01T00:00:00.000Z");
  });
});
