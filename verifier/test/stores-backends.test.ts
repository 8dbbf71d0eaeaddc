// The sharing store and the challenge store on both backends, one test body each: the embedded
// stores (LevelDB-shaped SharingDb, in-memory challenges) and PostgreSQL (sharing-pg.ts,
// challenges-pg.ts). Then the races that only a shared database can show: two pools (two
// processes) answering one request, using one proof nonce and one challenge → one winner.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, createTestSchema, runMigrations, type Pool, type TestSchema } from "@meritlog/postgres";
import {
  CHALLENGE_MIGRATIONS,
  createChallengeStore,
  createPgChallengeStore,
  createPgSharingStore,
  createSharingStore,
  memorySharingDb,
  SHARING_MIGRATIONS,
  type ChallengeStore,
  type PresentationRequestRecord,
  type ShareRecord,
  type SharingStore,
} from "../src/index.js";

const share = (id: string): ShareRecord => ({
  id,
  credential: "a.b.c",
  credentialId: "urn:uuid:1",
  holder: "did:key:z6Mk",
  sharedAt: "2026-01-01T00:00:00.000Z",
  expiresAt: "2027-01-01T00:00:00.000Z",
});
const request = (id: string, types?: string[]): PresentationRequestRecord => ({
  id,
  purpose: "p",
  ...(types ? { types } : {}),
  nonce: "n",
  audience: "https://x",
  createdAt: "2026-01-01T00:00:00.000Z",
  expiresAt: "2026-01-08T00:00:00.000Z",
  manageTokenHash: "00",
});
const AUD = "https://verifier.test";

let schema: TestSchema;
beforeAll(async () => {
  schema = await createTestSchema();
  await runMigrations(schema.pool, [SHARING_MIGRATIONS, CHALLENGE_MIGRATIONS]);
});
afterAll(async () => await schema.drop());

type Make = {
  sharing(): SharingStore;
  challenges(now: () => number): ChallengeStore;
};
const backends: [string, () => Make][] = [
  [
    "the embedded stores",
    () => ({
      sharing: () => createSharingStore(memorySharingDb()),
      challenges: (now) => createChallengeStore({ audience: AUD, ttlMs: 60_000, now }),
    }),
  ],
  [
    "PostgreSQL",
    () => ({
      sharing: () => createPgSharingStore(schema.pool),
      challenges: (now) => createPgChallengeStore(schema.pool, { audience: AUD, ttlMs: 60_000, now }),
    }),
  ],
];

describe.each(backends)("sharing and challenges on %s", (_name, make) => {
  it("stores shares and requests as given, withdraws once and forgets the credential", async () => {
    const store = make().sharing();
    const id = `s-${Math.random()}`;
    await store.putShare(share(id));
    expect(await store.getShare(id)).toEqual(share(id));
    expect(await store.getShare("nope")).toBeUndefined();
    const results = await Promise.all([
      store.withdrawShare(id, "t1"),
      store.withdrawShare(id, "t2"),
      store.withdrawShare(id, "t3"),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const s = await store.getShare(id);
    expect(s?.withdrawnAt).toMatch(/^t[123]$/);
    expect(s?.credential).toBe("");
    expect(await store.withdrawShare("nope", "t")).toBe(false);
    const rid = `r-${Math.random()}`;
    await store.putRequest(request(rid, ["MicroCredential"]));
    expect(await store.getRequest(rid)).toEqual(request(rid, ["MicroCredential"]));
  });

  it("takes exactly one answer of many concurrent ones", async () => {
    const store = make().sharing();
    const rid = `r-${Math.random()}`;
    await store.putRequest(request(rid));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.answerRequest(rid, `vp${i}`, `t${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.getRequest(rid)).toMatchObject({
      presentation: `vp${winner}`,
      answeredAt: `t${winner}`,
    });
    expect(await store.answerRequest("nope", "vp", "t")).toBe(false);
  });

  it("accepts a proof nonce once, concurrently too", async () => {
    const store = make().sharing();
    const t0 = 1_000_000;
    const n = `nonce-${Math.random()}`;
    const first = await Promise.all([
      store.useNonce(n, t0 + 600_000, t0),
      store.useNonce(n, t0 + 600_000, t0),
    ]);
    expect(first.sort()).toEqual([false, true]);
    expect(await store.useNonce(n, t0 + 600_000, t0 + 1000)).toBe(false);
  });

  it("challenges: valid once, then replayed; unknown nonces and audiences; expired after the ttl", async () => {
    let clock = 1_800_000_000_000;
    const store = make().challenges(() => clock);
    const c = await store.issue();
    expect(c.audience).toBe(AUD);
    expect(Date.parse(c.expiresAt)).toBe(clock + 60_000);
    expect(await store.consume(c.nonce, "https://elsewhere")).toBe("unknown");
    expect(await store.consume(c.nonce, AUD)).toBe("valid");
    expect(await store.consume(c.nonce, AUD)).toBe("replayed");
    expect(await store.consume("never-issued")).toBe("unknown");
    const late = await store.issue();
    clock += 61_000;
    expect(await store.consume(late.nonce)).toBe("expired");
    const raced = await store.issue();
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => store.consume(raced.nonce)));
    expect(outcomes.filter((o) => o === "valid")).toHaveLength(1);
  });
});

describe("two processes on one PostgreSQL database", () => {
  let pools: Pool[];
  beforeAll(() => {
    pools = [createPool(schema.url, { max: 4 }), createPool(schema.url, { max: 4 })];
  });
  afterAll(async () => {
    for (const p of pools) await p.end();
  });

  it("one answer, one nonce use, one challenge use across both", async () => {
    const [s1, s2] = pools.map((p) => createPgSharingStore(p));
    const [c1, c2] = pools.map((p) => createPgChallengeStore(p, { audience: AUD }));
    for (let round = 0; round < 5; round++) {
      const rid = `race-${round}-${Math.random()}`;
      await s1!.putRequest(request(rid));
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? s1! : s2!).answerRequest(rid, `vp${i}`, "t")),
      );
      expect(answers.filter(Boolean)).toHaveLength(1);
      const nonce = `n-${round}-${Math.random()}`;
      const uses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? s1! : s2!).useNonce(nonce, Date.now() + 60_000, Date.now()),
        ),
      );
      expect(uses.filter(Boolean)).toHaveLength(1);
      // Issued by one node, consumed by either: exactly one "valid".
      const ch = await c1!.issue();
      const consumed = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? c1! : c2!).consume(ch.nonce, AUD)),
      );
      expect(consumed.filter((c) => c === "valid")).toHaveLength(1);
      expect(consumed.filter((c) => c === "replayed")).toHaveLength(7);
    }
  });
});
