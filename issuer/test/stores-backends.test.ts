import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyReceipt } from "@meritlog/ledger/verify";
import { createPool, createTestSchema, runMigrations, type Pool, type TestSchema } from "@meritlog/postgres";
import { createIssuerService, type IssuerService } from "../src/service.js";
import { createSecretBox } from "../src/secret-box.js";
import { levelIssuerBackend, type IssuerBackend } from "../src/backend.js";
import { ISSUER_MIGRATIONS, pgIssuerBackend, PgStatusStore } from "../src/issuer-pg.js";
import {
  createOfferStore,
  REDEMPTION_HOLD_SECONDS,
  TX_CODE_MAX_TRIES,
  type OfferStore,
} from "../src/offers.js";
import { createPgOfferStore, OFFER_MIGRATIONS } from "../src/offers-pg.js";
import { StatusLists } from "../src/status-list.js";
import { holderDid, microCredential, statusListBits, tempDb } from "./helpers.js";
import { openTestLog } from "./log.js";

// One test body, two backends: the issuer service and the offer store on LevelDB (the embedded
// default) and on PostgreSQL (issuer-pg.ts, offers-pg.ts) behave alike, across a restart. Then
// what only a shared database can show: two processes (two pools) racing for one code, one
// access token, and status list indexes.

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const BASE = "https://issuer.test";

interface Env {
  name: string;
  /** A fresh backend on the same storage (a restart). */
  backend(): IssuerBackend;
  offers(now: () => Date): Promise<OfferStore>;
  /** Every byte the backend stored for private keys, as text (to look for plain key material). */
  privateKeyBytes(): Promise<string>;
  dispose(): Promise<void>;
}

const secret = randomBytes(32);
const box = createSecretBox(secret);

async function levelEnv(): Promise<Env & { db: Awaited<ReturnType<typeof tempDb>>["db"] }> {
  const t = await tempDb();
  const sub = (name: string) =>
    t.db.sublevel<string, Uint8Array>(name, { keyEncoding: "utf8", valueEncoding: "view" }) as never;
  return {
    name: "leveldb",
    db: t.db,
    backend: () => levelIssuerBackend(sub("issuer"), sub("veramo"), box),
    offers: (now) => createOfferStore(sub("offers"), { now }),
    async privateKeyBytes() {
      const out: string[] = [];
      for await (const [k, v] of t.db.iterator())
        if (k.includes("private-keys")) out.push(Buffer.from(v).toString("hex"));
      return out.join(" ");
    },
    dispose: () => t.dispose(),
  };
}

async function pgEnv(): Promise<Env & { schema: TestSchema }> {
  const schema = await createTestSchema();
  await runMigrations(schema.pool, [ISSUER_MIGRATIONS, OFFER_MIGRATIONS]);
  return {
    name: "postgres",
    schema,
    backend: () => pgIssuerBackend(schema.pool, box),
    offers: async (now) => createPgOfferStore(schema.pool, { now }),
    async privateKeyBytes() {
      const { rows } = await schema.pool.query<{ sealed: Buffer }>("SELECT sealed FROM issuer_private_keys");
      return rows.map((r) => r.sealed.toString("hex")).join(" ");
    },
    dispose: () => schema.drop(),
  };
}

describe.each([
  ["leveldb", levelEnv],
  ["postgres", pgEnv],
] as const)("issuer stores on %s", (_name, make) => {
  let env: Env;
  let logDb: Awaited<ReturnType<typeof tempDb>>;
  let log: Awaited<ReturnType<typeof openTestLog>>;
  let service: IssuerService;
  let clock = new Date("2026-11-30T12:00:00Z");
  const now = () => clock;
  const open = () =>
    createIssuerService({
      backend: env.backend(),
      box,
      log,
      baseUrl: BASE,
      now,
      statusList: { refreshMs: 0 },
    });

  beforeAll(async () => {
    env = await make();
    logDb = await tempDb();
    log = await openTestLog(logDb.db, box);
    service = await open();
  });
  afterAll(async () => {
    await service.close();
    await log.close();
    await logDb.dispose();
    await env.dispose();
  });

  it("keeps issuers, credentials, the listing, the digest index and status through a restart", async () => {
    const a = await service.createIssuer({ name: "Kaduna Repair Academy" });
    const b = await service.createIssuer({ name: "Another Academy" });
    const holder = holderDid();
    const issued = [];
    for (let i = 0; i < 5; i++) {
      // One second apart: ids are UUIDv7, ordered by their millisecond.
      clock = new Date(clock.getTime() + 1000);
      issued.push(await service.issue(a.id, microCredential(holder)));
    }
    await service.issue(b.id, microCredential(holder));
    const first = issued[0]!;
    expect(verifyReceipt(first.receipt, log.verifierKey).ok).toBe(true);
    await service.changeStatus(a.id, first.id, { action: "suspend", reason: "under-review" });
    await service.changeStatus(a.id, issued[1]!.id, { action: "revoke", reason: "issued-in-error" });
    // Distinct indexes, none reused.
    const indexes = new Set(issued.map((c) => c.status.statusListIndex));
    expect(indexes.size).toBe(5);

    await service.close();
    service = await open();

    expect(service.authenticate(a.token).id).toBe(a.id);
    expect(() => service.authenticate(`${a.token}x`)).toThrow(
      expect.objectContaining({ code: "auth.bad_token" }),
    );
    expect((await service.listIssuers()).map((i) => i.name)).toEqual([
      "Kaduna Repair Academy",
      "Another Academy",
    ]);
    const rec = await service.getRecord(first.id, a.id);
    expect(rec.jwt).toBe(first.jwt);
    expect(rec.state).toBe("suspended");
    expect(rec.history.map((h) => h.kind)).toEqual(["issue", "suspend"]);
    await expect(service.getRecord(first.id, b.id)).rejects.toMatchObject({ code: "credential.not_found" });
    const match = await service.findByDigest(sha256(first.jwt));
    expect(match).toMatchObject({ kind: "issue", credentialId: first.id, issuerId: a.id });
    expect(match?.receipt).toEqual(first.receipt);
    expect(await service.findByDigest("00".repeat(32))).toBeUndefined();
    expect(await service.statusBits(first.id)).toEqual({ revocation: false, suspension: true });
    expect(await service.statusBits(issued[1]!.id)).toEqual({ revocation: true, suspension: false });
    // The signed lists say the same after the restart.
    const susp = statusListBits(await service.statusListJwt(`${a.id}-suspension`));
    expect(susp.get(Number(first.status.statusListIndex))).toBe(true);
    expect(susp.get(Number(issued[2]!.status.statusListIndex))).toBe(false);

    // Listing: newest first, paged by cursor, one issuer's only, filtered by state.
    const page1 = await service.listCredentials(a.id, { limit: 3 });
    expect(page1.items.map((i) => i.id)).toEqual(
      issued
        .slice(2)
        .reverse()
        .map((c) => c.id),
    );
    const page2 = await service.listCredentials(a.id, { limit: 3, cursor: page1.next! });
    expect(page2.items.map((i) => i.id)).toEqual([issued[1]!.id, issued[0]!.id]);
    expect(page2.next).toBeNull();
    expect((await service.listCredentials(a.id, { state: "revoked" })).items.map((i) => i.id)).toEqual([
      issued[1]!.id,
    ]);
    expect((await service.listCredentials(b.id, {})).items).toHaveLength(1);
    expect((await service.registerStats()).total).toBe(6);
  });

  it("keeps private keys sealed, rotates keys and tokens durably", async () => {
    const a = await service.createIssuer({ name: "Rotating Academy" });
    const rotated = await service.rotateKey(a.id);
    const changed = await service.changeToken(a.id, false);
    await service.close();
    service = await open();
    const pub = (await service.listIssuers()).find((i) => i.id === a.id)!;
    expect(pub.did).toBe(rotated.did);
    expect(pub.previousDids).toEqual([a.did]);
    expect(() => service.authenticate(a.token)).toThrow(expect.objectContaining({ code: "auth.bad_token" }));
    expect(service.authenticate(changed.token!).id).toBe(a.id);
    // Issuance signs with the new key after the restart (the sealed key opened).
    const c = await service.issue(a.id, microCredential(holderDid()));
    expect(JSON.parse(Buffer.from(c.jwt.split(".")[0]!, "base64url").toString()).kid).toContain(rotated.did);
    // No private key is stored in clear: the agent's own copy of the key is nowhere in the stored bytes.
    const stored = await env.privateKeyBytes();
    expect(stored.length).toBeGreaterThan(0);
    const kid = (await service.agent.didManagerGet({ did: pub.did })).keys[0]!.kid;
    const plain = await env.backend().veramo.privateKeys.getKey({ alias: kid });
    expect(plain.privateKeyHex).toMatch(/^[0-9a-f]{64,128}$/);
    expect(stored).not.toContain(plain.privateKeyHex);
  });

  it("offers: a redemption in flight holds the offer against cancel and reissue until it ends or times out", async () => {
    clock = new Date("2026-11-30T13:00:00Z");
    const offers = await env.offers(now);
    const request = { ...microCredential(holderDid()), subject: undefined, type: "MicroCredential" as const };
    const a = await offers.create("issuer-hold", request, {});
    expect(await offers.startRedemption(a.id)).toBe("held");
    for (const change of [
      () => offers.cancel("issuer-hold", a.id),
      () => offers.reissue("issuer-hold", a.id),
    ])
      await expect(change()).rejects.toMatchObject({ code: "offer.not_pending", message: /being redeemed/ });
    // The listing still says pending: the credential does not exist yet.
    expect((await offers.get("issuer-hold", a.id)).state).toBe("pending");
    // Issuance failed: the hold goes, and the issuer can cancel; a later redemption finds it cancelled.
    await offers.abortRedemption(a.id);
    expect((await offers.cancel("issuer-hold", a.id)).state).toBe("cancelled");
    expect(await offers.startRedemption(a.id)).toBe("cancelled");

    // Issued: markRedeemed ends the hold, and the offer is redeemed for good.
    const b = await offers.create("issuer-hold", request, {});
    expect(await offers.startRedemption(b.id)).toBe("held");
    await offers.markRedeemed(b.id, "urn:uuid:c-hold");
    expect(await offers.startRedemption(b.id)).toBe("redeemed");
    await expect(offers.cancel("issuer-hold", b.id)).rejects.toMatchObject({ code: "offer.not_pending" });

    // A node that died mid-issuance holds the offer only for REDEMPTION_HOLD_SECONDS.
    const c = await offers.create("issuer-hold", request, {});
    expect(await offers.startRedemption(c.id)).toBe("held");
    clock = new Date(clock.getTime() + (REDEMPTION_HOLD_SECONDS - 1) * 1000);
    await expect(offers.cancel("issuer-hold", c.id)).rejects.toMatchObject({ code: "offer.not_pending" });
    clock = new Date(clock.getTime() + 2000);
    expect((await offers.cancel("issuer-hold", c.id)).state).toBe("cancelled");
    expect(await offers.startRedemption("no-such-offer")).toBe("gone");
  });

  it("offers: create, look up, redeem once, claim the token once, spend it; cancel, reissue, tx_code tries", async () => {
    clock = new Date("2026-11-30T12:00:00Z");
    const offers = await env.offers(now);
    const request = { ...microCredential(holderDid()), subject: undefined, type: "MicroCredential" as const };
    const created = await offers.create("issuer1", request, { reference: "cohort 7" });
    expect((await offers.lookup(created.offerId))?.preAuthorizedCode).toBe(created.preAuthorizedCode);
    const redeemed = await offers.redeem(created.preAuthorizedCode);
    if (!("grant" in redeemed)) throw new Error(`redeem failed: ${JSON.stringify(redeemed)}`);
    expect(await offers.redeem(created.preAuthorizedCode)).toEqual({ error: "unknown" });
    expect(await offers.lookup(created.offerId)).toBeUndefined();
    const { accessToken, cNonce } = redeemed.grant;
    expect(await offers.consumeNonce(cNonce, "another token")).toBe("unknown");
    expect(await offers.consumeNonce(cNonce, accessToken)).toBe("ok");
    expect(await offers.consumeNonce(cNonce, accessToken)).toBe("unknown");
    expect((await offers.peekToken(accessToken))?.offer.id).toBe(created.id);
    const claim = await offers.claimToken(accessToken);
    if (!("token" in claim)) throw new Error("claim failed");
    expect(await offers.claimToken(accessToken)).toEqual({ error: "busy" });
    await claim.finish(false);
    const again = await offers.claimToken(accessToken);
    if (!("token" in again)) throw new Error("claim after a failed issuance failed");
    await again.finish(true);
    expect(await offers.claimToken(accessToken)).toEqual({ error: "unknown" });
    await offers.markRedeemed(created.id, "urn:uuid:c1");
    expect(await offers.get("issuer1", created.id)).toMatchObject({
      state: "redeemed",
      credentialId: "urn:uuid:c1",
      reference: "cohort 7",
    });
    await expect(offers.get("issuer2", created.id)).rejects.toMatchObject({ code: "offer.not_found" });

    // Cancel kills the link; reissue gives a new one and kills the old.
    clock = new Date(clock.getTime() + 1000);
    const c2 = await offers.create("issuer1", request, {});
    await offers.cancel("issuer1", c2.id);
    expect(await offers.redeem(c2.preAuthorizedCode)).toEqual({ error: "unknown" });
    await expect(offers.cancel("issuer1", c2.id)).rejects.toMatchObject({ code: "offer.not_pending" });
    clock = new Date(clock.getTime() + 1000);
    const c3 = await offers.create("issuer1", request, { txCode: true });
    const re = await offers.reissue("issuer1", c3.id);
    expect(await offers.redeem(c3.preAuthorizedCode, c3.txCode)).toEqual({ error: "unknown" });
    expect(await offers.redeem(re.created.preAuthorizedCode)).toEqual({ error: "tx_code_required" });
    for (let i = 1; i < TX_CODE_MAX_TRIES; i++)
      expect(await offers.redeem(re.created.preAuthorizedCode, "xxxxxx")).toEqual({
        error: "tx_code_wrong",
        triesLeft: TX_CODE_MAX_TRIES - i,
      });
    expect(await offers.redeem(re.created.preAuthorizedCode, "xxxxxx")).toEqual({
      error: "tx_code_wrong",
      triesLeft: 0,
    });
    // Dead: the right code no longer redeems it.
    expect(await offers.redeem(re.created.preAuthorizedCode, re.created.txCode)).toEqual({
      error: "unknown",
    });
    expect(await offers.get("issuer1", c3.id)).toMatchObject({ state: "cancelled", cancelReason: "tx_code" });

    // Expiry and the listing by state, newest first, paged.
    clock = new Date(clock.getTime() + 1000);
    const c4 = await offers.create("issuer1", request, { expiresIn: 60 });
    clock = new Date(clock.getTime() + 120_000);
    expect(await offers.redeem(c4.preAuthorizedCode)).toMatchObject({ error: "expired" });
    const all = await offers.list("issuer1", {});
    expect(all.items.map((i) => i.id)).toEqual([c4.id, c3.id, c2.id, created.id]);
    expect((await offers.list("issuer1", { state: "expired" })).items.map((i) => i.id)).toEqual([c4.id]);
    expect((await offers.list("issuer1", { state: "cancelled" })).items.map((i) => i.id)).toEqual([
      c3.id,
      c2.id,
    ]);
    const p1 = await offers.list("issuer1", { limit: 2 });
    expect(p1.next).toBe(c3.id);
    expect((await offers.list("issuer1", { limit: 2, cursor: p1.next! })).items.map((i) => i.id)).toEqual([
      c2.id,
      created.id,
    ]);
  });
});

describe("several processes on one PostgreSQL database", () => {
  let schema: TestSchema;
  let pools: Pool[];
  beforeAll(async () => {
    schema = await createTestSchema();
    await runMigrations(schema.pool, [ISSUER_MIGRATIONS, OFFER_MIGRATIONS]);
    // Two pools: two server processes as far as the database can tell.
    pools = [createPool(schema.url, { max: 8 }), createPool(schema.url, { max: 8 })];
  });
  afterAll(async () => {
    for (const p of pools) await p.end();
    await schema.drop();
  });

  it("redeems one pre-authorized code exactly once when raced from two pools", async () => {
    const [s1, s2] = pools.map((p) => createPgOfferStore(p));
    const request = { ...microCredential(holderDid()), type: "MicroCredential" as const };
    for (let round = 0; round < 10; round++) {
      const c = await s1!.create("issuer1", request);
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? s1! : s2!).redeem(c.preAuthorizedCode)),
      );
      expect(outcomes.filter((o) => "grant" in o)).toHaveLength(1);
      const grant = outcomes.find((o) => "grant" in o) as { grant: { accessToken: string; cNonce: string } };
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? s1! : s2!).claimToken(grant.grant.accessToken)),
      );
      expect(claims.filter((x) => "token" in x)).toHaveLength(1);
      const nonces = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? s1! : s2!).consumeNonce(grant.grant.cNonce, grant.grant.accessToken),
        ),
      );
      expect(nonces.filter((n) => n === "ok")).toHaveLength(1);
    }
  });

  it("never hands out one status list index twice across two pools", async () => {
    const lists = pools.map(
      (p) =>
        new StatusLists({
          store: new PgStatusStore(p),
          baseUrl: BASE,
          now: () => new Date(),
          signerFor: async () => {
            throw new Error("not signing here");
          },
        }),
    );
    // Both processes start from the same (empty) view, then allocate concurrently; each process
    // only knows its own allocations, so the ~30 expected collisions of 4,000 random draws among
    // 131,072 indexes (birthday bound) are resolved by the database.
    const got: number[] = [];
    for (let round = 0; round < 20; round++)
      got.push(
        ...(await Promise.all(Array.from({ length: 200 }, (_, i) => lists[i % 2]!.allocate("issuer-race")))),
      );
    expect(new Set(got).size).toBe(4000);
    const count = async () => {
      const { rows } = await schema.pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM issuer_status_indexes WHERE issuer_id = 'issuer-race'",
      );
      return Number(rows[0]!.n);
    };
    // Reserved in blocks of 32: each process holds some not handed out yet, and gives them back
    // when it closes; what was handed out stays reserved.
    expect(await count()).toBeGreaterThan(4000);
    for (const l of lists) await l.close();
    expect(await count()).toBe(4000);
  });

  it("a change of status on one node is served by the other", async () => {
    const logDb = await tempDb();
    const log = await openTestLog(logDb.db, box);
    const open = (pool: Pool) =>
      createIssuerService({
        backend: pgIssuerBackend(pool, box),
        box,
        log,
        baseUrl: BASE,
        statusList: { refreshMs: 0 },
        registryRefreshMs: 50,
      });
    const [n1, n2] = [await open(pools[0]!), await open(pools[1]!)];
    try {
      const a = await n1.createIssuer({ name: "Two-node Academy" });
      // The second node learns of the issuer from the database.
      await expect.poll(() => n2.getIssuer(a.id)?.id, { timeout: 5000 }).toBe(a.id);
      expect(n2.authenticate(a.token).id).toBe(a.id);
      const c = await n2.issue(a.id, microCredential(holderDid()));
      expect(
        statusListBits(await n1.statusListJwt(`${a.id}-revocation`)).get(Number(c.status.statusListIndex)),
      ).toBe(false);
      await n1.changeStatus(a.id, c.id, { action: "revoke", reason: "issued-in-error" });
      expect(
        statusListBits(await n2.statusListJwt(`${a.id}-revocation`)).get(Number(c.status.statusListIndex)),
      ).toBe(true);
      expect(await n2.statusBits(c.id)).toEqual({ revocation: true, suspension: false });
    } finally {
      await n1.close();
      await n2.close();
      await log.close();
      await logDb.dispose();
    }
  });
});
