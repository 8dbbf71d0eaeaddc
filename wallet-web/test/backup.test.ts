import { describe, expect, it } from "vitest";
import { MemoryStore } from "../src/kv-store.js";
import { createWallet } from "../src/keystore.js";
import { exportBackup, importBackup, parseBackup } from "../src/backup.js";
import { WalletError } from "../src/errors.js";
import { DEFAULT_ITERATIONS } from "../src/crypto-box.js";

const ITER = 2_000;

async function walletWithData() {
  const w = await createWallet(new MemoryStore(), "correct horse battery", { iterations: ITER });
  await w.putCredential({
    id: "urn:uuid:backup-1",
    jwt: "header.payload-secret.sig",
    addedAt: "2026-11-21T10:00:00Z",
    status: { state: "active", checkedAt: "2026-11-21T10:00:00Z" },
  });
  await w.putLogView({
    origin: "example/log",
    baseUrl: "http://127.0.0.1:1",
    size: 3,
    rootHash: "AA==",
    checkpoint: "cp",
    seenAt: "2026-11-21T10:00:00Z",
  });
  await w.putShare({
    id: "share-1",
    url: "http://127.0.0.1:1/s/share-1",
    baseUrl: "http://127.0.0.1:1",
    credentialId: "urn:uuid:backup-1",
    title: "Hand-Pump Repair Guide Writing",
    sharedAt: "2026-11-21T10:00:00Z",
    expiresAt: "2027-11-21T10:00:00Z",
  });
  return w;
}

describe("backup", () => {
  it("round-trips key, credentials and log views into another store", async () => {
    const w = await walletWithData();
    const file = await exportBackup(w, "correct horse battery", { iterations: ITER });
    const restored = await importBackup(new MemoryStore(), file, "correct horse battery", {
      iterations: ITER,
    });
    expect(restored.did).toBe(w.did);
    expect((await restored.credentials()).map((c) => c.id)).toEqual(["urn:uuid:backup-1"]);
    expect((await restored.logViews())[0]!.size).toBe(3);
    // Shares come back too, so the restored wallet can list and withdraw its links.
    expect(await restored.shares()).toEqual(await w.shares());
    const msg = new TextEncoder().encode("same key");
    expect(Buffer.from(await restored.sign(msg))).toEqual(Buffer.from(await w.sign(msg)));
  });

  it("never writes plaintext into the file", async () => {
    const w = await walletWithData();
    const file = await exportBackup(w, "correct horse battery", { iterations: ITER });
    expect(file).not.toContain(w.did);
    expect(file).not.toContain("backup-1");
    expect(file).not.toContain("payload-secret");
    expect(parseBackup(file).kdf.iterations).toBe(ITER);
  });

  it("uses 600,000 PBKDF2 iterations unless told otherwise", async () => {
    expect(DEFAULT_ITERATIONS).toBeGreaterThanOrEqual(600_000);
  });

  it("fails cleanly on a wrong passphrase and leaves the target store empty", async () => {
    const w = await walletWithData();
    const file = await exportBackup(w, "correct horse battery", { iterations: ITER });
    const target = new MemoryStore();
    const err = await importBackup(target, file, "not the passphrase").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WalletError);
    expect((err as WalletError).code).toBe("backup.wrong_passphrase");
    expect(target.data.size).toBe(0);
  });

  it("rejects files that are not backups, tampered, or weakened", async () => {
    const w = await walletWithData();
    const file = await exportBackup(w, "correct horse battery", { iterations: ITER });
    await expect(importBackup(new MemoryStore(), "not json", "x")).rejects.toMatchObject({
      code: "backup.malformed",
    });
    await expect(importBackup(new MemoryStore(), "{}", "x")).rejects.toMatchObject({
      code: "backup.malformed",
    });
    const j = JSON.parse(file);
    await expect(
      importBackup(
        new MemoryStore(),
        JSON.stringify({ ...j, kdf: { ...j.kdf, iterations: 1 } }),
        "correct horse battery",
      ),
    ).rejects.toMatchObject({ code: "backup.malformed" });
    const ct = Buffer.from(j.box.ct, "base64");
    ct[5] = ct[5]! ^ 0x80;
    const tampered = JSON.stringify({ ...j, box: { ...j.box, ct: ct.toString("base64") } });
    await expect(importBackup(new MemoryStore(), tampered, "correct horse battery")).rejects.toMatchObject({
      code: "backup.wrong_passphrase",
    });
    await expect(importBackup(new MemoryStore(), JSON.stringify({ ...j, v: 2 }), "x")).rejects.toMatchObject({
      code: "backup.unsupported",
    });
  });
});
