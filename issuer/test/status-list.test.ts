import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { MIN_STATUS_LIST_BITS } from "../src/bitstring.js";
import { Ed25519JwsSigner as JwtSigner } from "@meritlog/core/node";
import { DurableWriter } from "../src/storage.js";
import { LevelStatusStore, listId, parseListId, StatusLists, type StatusStore } from "../src/status-list.js";
import { decodeJwt, statusListBits, tempDb } from "./helpers.js";

const DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function lists(
  o: { refreshMs?: number; clock?: { t: number }; onChange?: (url: string) => void } = {},
) {
  const t = await tempDb();
  cleanups.push(t.dispose);
  const signer = new JwtSigner(`${DID}#${DID.slice(8)}`, generateKeyPairSync("ed25519").privateKey);
  let signatures = 0;
  const clock = o.clock ?? { t: Date.parse("2026-11-21T12:00:00Z") };
  const sl = new StatusLists({
    store: new LevelStatusStore(t.db.sublevel("issuer") as never),
    baseUrl: "https://issuer.test",
    now: () => new Date(clock.t),
    ...(o.refreshMs !== undefined ? { refreshMs: o.refreshMs } : {}),
    ...(o.onChange !== undefined ? { onChange: o.onChange } : {}),
    signerFor: async () => {
      signatures++;
      return { did: DID, signer };
    },
  });
  return { sl, clock, signatures: () => signatures };
}

const exists = async () => true;

/** A store shared by processes, as PostgreSQL's primary key makes it (a reservation is atomic), and a process on it. */
function sharedStore() {
  const held = new Set<number>();
  let roundTrips = 0;
  const store: StatusStore = {
    load: async () => ({ allocated: [...held], bits: { revocation: [], suspension: [] } }),
    reserve: async (_issuer, indexes) => {
      roundTrips++;
      const got = indexes.filter((i) => !held.has(i));
      for (const i of got) held.add(i);
      return got;
    },
    unreserve: async (_issuer, indexes) => {
      for (const i of indexes) held.delete(i);
    },
    allocationOps: () => [],
    bitOps: () => [],
  };
  const node = () =>
    new StatusLists({
      store,
      baseUrl: "https://issuer.test",
      now: () => new Date(),
      signerFor: async () => {
        throw new Error("not signing here");
      },
    });
  return { held, node, roundTrips: () => roundTrips };
}

describe("status lists", () => {
  it("list ids name issuer and purpose", () => {
    expect(listId("0123456789abcdef", "revocation")).toBe("0123456789abcdef-revocation");
    expect(parseListId("0123456789abcdef-suspension")).toEqual({
      issuerId: "0123456789abcdef",
      purpose: "suspension",
    });
    expect(parseListId("0123456789abcdef-message")).toEqual({
      issuerId: "0123456789abcdef",
      purpose: "message",
    });
    expect(parseListId("0123456789abcdef-refresh")).toBeUndefined();
    expect(parseListId("-revocation")).toBeUndefined();
  });

  it("allocates every index exactly once, in random order, then answers status.list_full", async () => {
    const { sl } = await lists();
    const seen = new Uint8Array(MIN_STATUS_LIST_BITS);
    const first: number[] = [];
    let duplicates = 0;
    for (let i = 0; i < MIN_STATUS_LIST_BITS; i++) {
      const idx = await sl.allocate("a");
      if (seen[idx]) duplicates++;
      seen[idx] = 1;
      if (i < 100) first.push(idx);
    }
    expect(duplicates).toBe(0);
    expect(seen.every((x) => x === 1)).toBe(true);
    // Not handed out in order: the first 100 are spread over the whole list.
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(MIN_STATUS_LIST_BITS / 2);
    await expect(sl.allocate("a")).rejects.toMatchObject({ code: "status.list_full", status: 503 });
    await sl.release("a", 7);
    expect(await sl.allocate("a")).toBe(7);
    // Another issuer has its own lists.
    expect(await sl.allocate("b")).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it("several processes on one store: blocks of random indexes, each index to one credential, spare ones given back on close", async () => {
    const { held, node, roundTrips } = sharedStore();
    const [a, b] = [node(), node()];
    const handed = await Promise.all(
      Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? a : b).allocate("i")),
    );
    expect(new Set(handed).size).toBe(3000);
    expect(roundTrips()).toBeLessThanOrEqual(3000 / 32 + 4);
    // Random, not consecutive: the first 100 spread over the list.
    const first = handed.slice(0, 100);
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(MIN_STATUS_LIST_BITS / 2);
    expect(held.size).toBeGreaterThan(3000);
    await a.close();
    await b.close();
    expect([...held].sort((x, y) => x - y)).toEqual([...handed].sort((x, y) => x - y));
    // A failed issuance gives its index back to the store at once.
    await a.release("i", handed[0]!);
    expect(held.has(handed[0]!)).toBe(false);
  });

  it("several processes share a list to the last index: each index once, then status.list_full on both", async () => {
    const { node } = sharedStore();
    const nodes = [node(), node()];
    const seen = new Uint8Array(MIN_STATUS_LIST_BITS);
    let duplicates = 0;
    for (let i = 0; i < MIN_STATUS_LIST_BITS; i++) {
      const idx = await nodes[i % 2]!.allocate("i");
      if (seen[idx]) duplicates++;
      seen[idx] = 1;
    }
    expect(duplicates).toBe(0);
    for (const n of nodes) await expect(n.allocate("i")).rejects.toMatchObject({ code: "status.list_full" });
  }, 60_000);

  it("tells the listener every list a change touches, the two-bit message list included", async () => {
    const changed: string[] = [];
    const { sl } = await lists({ onChange: (u) => changed.push(u) });
    await sl.apply("a", 5, { revocation: true, suspension: false });
    expect(new Set(changed)).toEqual(new Set([sl.url("a", "revocation"), sl.url("a", "message")]));
    changed.length = 0;
    await sl.apply("a", 5, { revocation: true, suspension: false }); // no change, no call
    expect(changed).toEqual([]);
  });

  it("re-signs a changed list at most once per refresh interval, however many changes and reads", async () => {
    const { sl, clock, signatures } = await lists({ refreshMs: 1000 });
    const id = listId("a", "revocation");
    const first = await sl.jwt(id, exists);
    expect(signatures()).toBe(1);
    for (let i = 0; i < 50; i++) await sl.apply("a", i * 7, { revocation: true, suspension: false });
    // Within the interval: 100 reads, no new signature; the cached list is served.
    const reads = await Promise.all(Array.from({ length: 100 }, () => sl.jwt(id, exists)));
    expect(new Set(reads)).toEqual(new Set([first]));
    expect(signatures()).toBe(1);
    clock.t += 1000;
    const [a, b] = await Promise.all([sl.jwt(id, exists), sl.jwt(id, exists)]);
    expect(a).toBe(b);
    expect(signatures()).toBe(2);
    const bits = statusListBits(a);
    for (let i = 0; i < 50; i++) expect(bits.get(i * 7)).toBe(true);
    expect(bits.get(1)).toBe(false);
    // Unchanged lists are not re-signed until half their validity has passed.
    clock.t += 5000;
    expect(await sl.jwt(id, exists)).toBe(a);
    expect(signatures()).toBe(2);
    clock.t += 12 * 3600_000;
    expect(await sl.jwt(id, exists)).not.toBe(a);
  });

  it("gives a new credential one two-bit message entry and keeps the message list equal to the two one-bit lists, across a restart", async () => {
    const t = await tempDb();
    cleanups.push(t.dispose);
    const signer = new JwtSigner(`${DID}#${DID.slice(8)}`, generateKeyPairSync("ed25519").privateKey);
    const make = () =>
      new StatusLists({
        store: new LevelStatusStore(t.db.sublevel("issuer") as never),
        baseUrl: "https://issuer.test",
        now: () => new Date(),
        refreshMs: 0,
        signerFor: async () => ({ did: DID, signer }),
      });
    const sl = make();
    const [entry, ...rest] = sl.entries("a", 5);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      statusPurpose: "message",
      statusSize: 2,
      statusListIndex: "5",
      statusListCredential: "https://issuer.test/v1/status/a-message",
    });
    expect(entry!.statusMessage).toHaveLength(4); // §2.1: one message per value of statusSize bits
    const cases: [number, { revocation: boolean; suspension: boolean }][] = [
      [0, { revocation: false, suspension: true }],
      [1, { revocation: true, suspension: false }],
      [131_071, { revocation: true, suspension: true }],
    ];
    for (const [i, b] of cases) {
      await new DurableWriter(t.db.sublevel("issuer") as never).write(sl.bitOps("a", i, b));
      await sl.apply("a", i, b);
    }
    for (const lists of [sl, make()]) {
      const m = statusListBits(await lists.jwt(listId("a", "message"), exists));
      expect(m.payload.credentialSubject).toMatchObject({
        statusPurpose: "message",
        type: "BitstringStatusList",
      });
      // Two bits per index at index × 2 (§3.2 step 9): revoked first, suspended second.
      for (const [i, b] of cases)
        expect([m.get(2 * i), m.get(2 * i + 1)]).toEqual([b.revocation, b.suspension]);
      expect([m.get(2 * 5), m.get(2 * 5 + 1)]).toEqual([false, false]);
      // The one-bit lists stay current for credentials issued before the message entry.
      const r = statusListBits(await lists.jwt(listId("a", "revocation"), exists));
      expect([r.get(0), r.get(1), r.get(131_071)]).toEqual([false, true, true]);
    }
    // A cleared bit clears the message list too.
    await sl.apply("a", 0, { revocation: false, suspension: false });
    const m = statusListBits(await sl.jwt(listId("a", "message"), exists));
    expect([m.get(0), m.get(1)]).toEqual([false, false]);
  });

  it("signs a Bitstring Status List credential with validity, ttl and the issuer", async () => {
    const { sl, clock } = await lists({ refreshMs: 0 });
    const { payload, header } = decodeJwt(await sl.jwt(listId("a", "suspension"), exists));
    expect(header).toMatchObject({ alg: "EdDSA", typ: "JWT" });
    expect(payload).toMatchObject({
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      id: "https://issuer.test/v1/status/a-suspension",
      issuer: DID,
      iss: DID,
      validFrom: "2026-11-21T12:00:00Z",
      validUntil: "2026-11-22T12:00:00Z",
      credentialSubject: {
        id: "https://issuer.test/v1/status/a-suspension#list",
        type: "BitstringStatusList",
        statusPurpose: "suspension",
        ttl: 300000,
      },
    });
    expect(payload.nbf).toBe(clock.t / 1000);
    expect(payload.exp).toBe(clock.t / 1000 + 86400);
    await expect(sl.jwt("a-suspension", async () => false)).rejects.toMatchObject({
      code: "status.not_found",
    });
  });
});
