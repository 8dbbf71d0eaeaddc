import { describe, expect, it } from "vitest";
import { createPublicKey, verify } from "node:crypto";
import { MemoryStore } from "../src/kv-store.js";
import { createWallet, deleteEverything, hasWallet, unlockWallet } from "../src/keystore.js";
import { publicKeyFromDidKey } from "../src/did-key.js";
import { WalletError } from "../src/errors.js";
import type { StoredCredential } from "../src/records.js";

const ITER = 2_000; // tests only; the wallet uses 600,000

const rec = (id: string): StoredCredential => ({
  id,
  jwt: "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln",
  addedAt: new Date().toISOString(),
  status: { state: "active", checkedAt: new Date().toISOString() },
});

// Ed25519 SPKI DER prefix (RFC 8410): lets node:crypto check the wallet's noble signatures independently.
const spki = (pk: Uint8Array) =>
  createPublicKey({
    key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), pk]),
    format: "der",
    type: "spki",
  });

describe("keystore", () => {
  it("creates a did:key wallet whose signatures verify with node:crypto", async () => {
    const store = new MemoryStore();
    const w = await createWallet(store, "correct horse battery", { iterations: ITER });
    expect(w.did).toMatch(/^did:key:z6Mk/);
    expect(Buffer.from(publicKeyFromDidKey(w.did))).toEqual(Buffer.from(w.publicKey));
    const msg = new TextEncoder().encode("hello");
    const sig = await w.sign(msg);
    expect(verify(null, msg, spki(w.publicKey), sig)).toBe(true);
  });

  it("keeps nothing readable at rest: no DID, no credential id, no JWT in the store", async () => {
    const store = new MemoryStore();
    const w = await createWallet(store, "correct horse battery", { iterations: ITER });
    await w.putCredential(rec("urn:uuid:1111-secret"));
    const dump = JSON.stringify([...store.data.entries()]);
    expect(dump).not.toContain(w.did);
    expect(dump).not.toContain("1111-secret");
    expect(dump).not.toContain("eyJhbGciOiJFZERTQSJ9");
    expect([...store.data.keys()].some((k) => k.includes("urn"))).toBe(false);
  });

  it("unlocks with the passphrase and returns the same identity and records", async () => {
    const store = new MemoryStore();
    const w = await createWallet(store, "correct horse battery", { iterations: ITER });
    await w.putCredential(rec("urn:uuid:a"));
    await w.putCredential({
      ...rec("urn:uuid:a"),
      status: { state: "revoked", checkedAt: "2026-01-01T00:00:00Z" },
    });
    await w.putCredential(rec("urn:uuid:b"));
    w.lock();
    await expect(w.credentials()).rejects.toMatchObject({ code: "wallet.locked" });
    const again = await unlockWallet(store, "correct horse battery");
    expect(again.did).toBe(w.did);
    const creds = await again.credentials();
    expect(creds.map((c) => c.id).sort()).toEqual(["urn:uuid:a", "urn:uuid:b"]);
    expect(creds.find((c) => c.id === "urn:uuid:a")!.status.state).toBe("revoked");
    await again.deleteCredential("urn:uuid:a");
    expect((await again.credentials()).map((c) => c.id)).toEqual(["urn:uuid:b"]);
  });

  it("refuses a wrong passphrase with a coded error", async () => {
    const store = new MemoryStore();
    await createWallet(store, "correct horse battery", { iterations: ITER });
    const err = await unlockWallet(store, "wrong horse battery").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WalletError);
    expect((err as WalletError).code).toBe("wallet.wrong_passphrase");
  });

  it("detects a tampered record instead of returning altered data", async () => {
    const store = new MemoryStore();
    const w = await createWallet(store, "correct horse battery", { iterations: ITER });
    await w.putCredential(rec("urn:uuid:a"));
    const [slot] = await store.keys("cred:");
    const box = (await store.get(slot!)) as { ct: string };
    const ct = Buffer.from(box.ct, "base64");
    ct[0] = ct[0]! ^ 1;
    await store.put(slot!, { ...box, ct: ct.toString("base64") });
    await expect(w.credentials()).rejects.toMatchObject({ code: "wallet.corrupt" });
  });

  it("refuses short passphrases, a second wallet, and unlocking nothing", async () => {
    const store = new MemoryStore();
    await expect(createWallet(store, "short", { iterations: ITER })).rejects.toMatchObject({
      code: "wallet.weak_passphrase",
    });
    await expect(unlockWallet(store, "whatever123")).rejects.toMatchObject({ code: "wallet.not_created" });
    await createWallet(store, "correct horse battery", { iterations: ITER });
    await expect(createWallet(store, "correct horse battery", { iterations: ITER })).rejects.toMatchObject({
      code: "wallet.exists",
    });
    expect(await hasWallet(store)).toBe(true);
    await deleteEverything(store);
    expect(await hasWallet(store)).toBe(false);
  });
});
