// The LevelDB sharing store over an in-memory SharingDb: one winner per compare-and-set, nonces
// remembered until their window closes and then swept, withdrawal drops the credential.
import { describe, expect, it } from "vitest";
import {
  createSharingStore,
  memorySharingDb,
  type PresentationRequestRecord,
  type ShareRecord,
} from "../src/index.js";

const share = (id: string): ShareRecord => ({
  id,
  credential: "a.b.c",
  credentialId: "urn:uuid:1",
  holder: "did:key:z6Mk",
  sharedAt: "2026-01-01T00:00:00.000Z",
  expiresAt: "2027-01-01T00:00:00.000Z",
});
const request = (id: string): PresentationRequestRecord => ({
  id,
  purpose: "p",
  nonce: "n",
  audience: "https://x",
  createdAt: "2026-01-01T00:00:00.000Z",
  expiresAt: "2026-01-08T00:00:00.000Z",
  manageTokenHash: "00",
});

describe("sharing store", () => {
  it("withdraws once and forgets the credential", async () => {
    const store = createSharingStore(memorySharingDb());
    await store.putShare(share("s1"));
    const results = await Promise.all([
      store.withdrawShare("s1", "t1"),
      store.withdrawShare("s1", "t2"),
      store.withdrawShare("s1", "t3"),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const s = await store.getShare("s1");
    expect(s?.withdrawnAt).toBe("t1");
    expect(s?.credential).toBe("");
    expect(await store.withdrawShare("nope", "t")).toBe(false);
  });

  it("takes exactly one answer of many concurrent ones", async () => {
    const store = createSharingStore(memorySharingDb());
    await store.putRequest(request("r1"));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.answerRequest("r1", `vp${i}`, `t${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect((await store.getRequest("r1"))?.presentation).toBe(`vp${winner}`);
  });

  it("accepts a nonce once, concurrently too, and sweeps it after its window", async () => {
    const db = memorySharingDb();
    const store = createSharingStore(db);
    const t0 = 1_000_000;
    const first = await Promise.all([
      store.useNonce("nonce-a", t0 + 600_000, t0),
      store.useNonce("nonce-a", t0 + 600_000, t0),
    ]);
    expect(first.sort()).toEqual([false, true]);
    expect(await store.useNonce("nonce-a", t0 + 600_000, t0 + 1000)).toBe(false);
    // Another nonce written after the window closed sweeps the old one.
    expect(await store.useNonce("nonce-b", t0 + 1_300_000, t0 + 700_000)).toBe(true);
    const keys: string[] = [];
    for await (const k of db.keys({})) keys.push(k);
    expect(keys.filter((k) => k.startsWith("n:"))).toHaveLength(1);
    expect(keys.filter((k) => k.startsWith("x:"))).toHaveLength(1);
    // The raw nonce is never stored.
    expect(keys.join(" ")).not.toContain("nonce-");
  });
});
