// The export bundle's own layer (portable.ts): signed by the learner's did:key, checked by an
// independent verifier (did-jwt), and refused with a reason when changed, re-addressed or mismatched.
// The full import against a live server is tests/portable-e2e.test.ts.
import { describe, expect, it } from "vitest";
import { verifyJWT } from "did-jwt";
import { Resolver } from "did-resolver";
import { getResolver } from "key-did-resolver";
import * as ed from "@noble/ed25519";
import { MemoryStore } from "../src/kv-store.js";
import { createWallet } from "../src/keystore.js";
import { signJwt } from "../src/jwt.js";
import { didKeyFromPublicKey } from "../src/did-key.js";
import {
  buildExportBundle,
  credentialFile,
  EXPORT_AUDIENCE,
  importRefusal,
  openExportBundle,
} from "../src/portable.js";
import { shareable, type StoredCredential } from "../src/records.js";
import type { WalletCheck } from "../src/status-refresh.js";

const resolver = new Resolver(getResolver());
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
const parts = (jwt: string) => jwt.split(".") as [string, string, string];
const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(parts(jwt)[1], "base64url").toString()) as Record<string, unknown>;

async function issuerSigned(id: string, name: string, subject: string): Promise<string> {
  const sk = ed.utils.randomSecretKey();
  const did = didKeyFromPublicKey(await ed.getPublicKeyAsync(sk));
  return signJwt(
    { alg: "EdDSA", typ: "JWT", kid: `${did}#${did.slice(8)}` },
    {
      iss: did,
      sub: subject,
      jti: id,
      vc: { type: ["VerifiableCredential"], name, credentialSubject: { id: subject } },
    },
    (m) => ed.signAsync(m, sk),
  );
}

async function fixture() {
  const w = await createWallet(new MemoryStore(), "correct horse battery", { iterations: 2_000 });
  const receipt = { origin: "o", leafIndex: 3, entry: "e", inclusionProof: [], checkpoint: "c" };
  const creds: StoredCredential[] = [
    {
      id: "urn:uuid:1",
      jwt: await issuerSigned("urn:uuid:1", "Solar wiring", w.did),
      receipt,
      source: "https://issuer.example",
      addedAt: "2026-11-30T00:00:00Z",
      status: { state: "active", checkedAt: "2026-11-30T00:00:00Z" },
    },
    {
      id: "urn:uuid:2",
      jwt: await issuerSigned("urn:uuid:2", "Pump repair", w.did),
      receipt: { ...receipt, leafIndex: 4 },
      addedAt: "2026-11-30T00:00:00Z",
      status: { state: "revoked", checkedAt: "2026-11-30T00:00:00Z" },
    },
  ];
  return { w, creds };
}

describe("export bundle", () => {
  it("is a VP-JWT by the holder key that an independent verifier accepts, with every receipt", async () => {
    const { w, creds } = await fixture();
    const bundle = await buildExportBundle(w, creds, "https://wallet.example");
    const res = await verifyJWT(bundle, { resolver, audience: EXPORT_AUDIENCE });
    expect(res.issuer).toBe(w.did);
    expect(res.payload.vp.verifiableCredential).toEqual(creds.map((c) => c.jwt));
    const opened = await openExportBundle(bundle);
    expect(opened.holder).toBe(w.did);
    expect(opened.entries.map((e) => e.item.receipt?.leafIndex)).toEqual([3, 4]);
    // A credential without a recorded source came from the wallet's own server.
    expect(opened.entries.map((e) => e.item.source)).toEqual([
      "https://issuer.example",
      "https://wallet.example",
    ]);
  });

  it("is refused with the reason when changed, re-addressed, or its receipts do not match", async () => {
    const { w, creds } = await fixture();
    const bundle = await buildExportBundle(w, creds, "https://wallet.example");
    const [h, , s] = parts(bundle);
    const p = payloadOf(bundle);
    const rec = p.meritlogRecord as { credentials: { status: { state: string } }[] };
    rec.credentials[1]!.status.state = "active"; // claim the revoked one is fine
    await expect(openExportBundle(`${h}.${b64(p)}.${s}`)).rejects.toMatchObject({
      code: "import.refused",
      message: expect.stringMatching(/signature does not verify/),
    });
    await expect(openExportBundle("not a bundle")).rejects.toMatchObject({
      message: expect.stringMatching(/not a signed bundle/),
    });
    const resign = (payload: Record<string, unknown>) =>
      signJwt(JSON.parse(Buffer.from(h, "base64url").toString()), payload as never, w.sign);
    await expect(
      openExportBundle(await resign({ ...payloadOf(bundle), aud: "https://v.example" })),
    ).rejects.toMatchObject({ message: expect.stringMatching(/wrong audience/) });
    const swapped = payloadOf(bundle);
    (swapped.meritlogRecord as { credentials: unknown[] }).credentials.reverse();
    await expect(openExportBundle(await resign(swapped))).rejects.toMatchObject({
      message: expect.stringMatching(/does not match its receipt entry/),
    });
    const insecure = payloadOf(bundle);
    (insecure.meritlogRecord as { credentials: { source: string }[] }).credentials[0]!.source =
      "http://evil.example";
    await expect(openExportBundle(await resign(insecure))).rejects.toMatchObject({
      message: expect.stringMatching(/not secure/),
    });
    // Signed by someone else's key while naming this holder.
    const other = await createWallet(new MemoryStore(), "correct horse battery", { iterations: 2_000 });
    const foreign = await signJwt(
      JSON.parse(Buffer.from(h, "base64url").toString()),
      payloadOf(bundle) as never,
      other.sign,
    );
    await expect(openExportBundle(foreign)).rejects.toMatchObject({
      message: expect.stringMatching(/signature does not verify/),
    });
  });

  it("refuses an empty selection and names each issuer file after the credential", async () => {
    const { w, creds } = await fixture();
    await expect(buildExportBundle(w, [], "https://wallet.example")).rejects.toMatchObject({
      code: "export.malformed",
    });
    const f = credentialFile(creds[0]!);
    expect(f).toEqual({ name: "solar-wiring-urnuuid1.jwt", type: "application/vc+jwt", text: creds[0]!.jwt });
  });
});

describe("import decision", () => {
  const check = (checks: Record<string, unknown>, subject: string, verified = true): WalletCheck =>
    ({
      report: { verdict: "invalid", checks, credential: { credentialSubject: { id: subject } } },
      status: { state: "revoked", checkedAt: "" },
      anchoring: { verified, message: verified ? "ok" : "not in the log" },
    }) as unknown as WalletCheck;
  const receipt = { origin: "o", leafIndex: 1, entry: "e", inclusionProof: [], checkpoint: "c" };
  const ok = { ok: true, message: "ok" };

  it("keeps a revoked or expired credential, refuses a bad signature, receipt, form or holder", () => {
    const life = {
      signature: ok,
      status: { ok: false, message: "revoked" },
      validity: { ok: false, message: "expired" },
    };
    expect(importRefusal(check(life, "did:key:a"), "did:key:a", receipt)).toBeUndefined();
    expect(
      importRefusal(check({ signature: { ok: false, message: "bad" } }, "did:key:a"), "did:key:a", receipt),
    ).toMatch(/issuer signature/);
    expect(
      importRefusal(
        check({ signature: ok, schema: { ok: false, message: "no name" } }, "did:key:a"),
        "did:key:a",
        receipt,
      ),
    ).toMatch(/schema: no name/);
    expect(importRefusal(check({ signature: ok }, "did:key:a"), "did:key:a", undefined)).toMatch(
      /no log receipt/,
    );
    expect(importRefusal(check({ signature: ok }, "did:key:a", false), "did:key:a", receipt)).toMatch(
      /not in the log/,
    );
    expect(importRefusal(check({ signature: ok }, "did:key:b"), "did:key:a", receipt)).toMatch(
      /someone other/,
    );
  });
});

describe("never share", () => {
  it("keeps never-share and imported credentials out of every picker", () => {
    const base = { jwt: "x", addedAt: "", status: { state: "active" as const, checkedAt: "" } };
    const list: StoredCredential[] = [
      { ...base, id: "a" },
      { ...base, id: "b", neverShare: true },
      { ...base, id: "c", importedFrom: "did:key:z" },
      { ...base, id: "d", neverShare: false },
    ];
    expect(shareable(list).map((c) => c.id)).toEqual(["a", "d"]);
  });
});
