// Co-authored MPUs (issue 14): when the last author signs, every author gets one OpenID4VCI offer
// of their credential, exactly once even when the process dies between the last signature and
// the offers (docs/ARCHITECTURE.md "Provenance"). The crash is played by an offer store that
// fails before or after it wrote; the restart by a new service on the same database.
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createIssuerService, type IssuerService } from "../src/service.js";
import { createSecretBox } from "../src/secret-box.js";
import { createOfferStore, type OfferStore } from "../src/offers.js";
import type { MpuView } from "../src/mpus.js";
import { mpuAuthorship, tempDb } from "./helpers.js";
import { openTestLog } from "./log.js";
import { newHolder, type Holder } from "../../tests/helpers/did-key.js";

const sub = (db: Awaited<ReturnType<typeof tempDb>>["db"], name: string) =>
  db.sublevel<string, Uint8Array>(name, { keyEncoding: "utf8", valueEncoding: "view" }) as never;

/** The real LevelDB offer store; `crash` makes the next createMany die before or after its write. */
function crashingOffers(real: OfferStore): OfferStore & { crash?: "before" | "after" } {
  const o: OfferStore & { crash?: "before" | "after" } = Object.create(real) as never;
  o.createMany = async (issuerId, items) => {
    const when = o.crash;
    o.crash = undefined;
    if (when === "before") throw new Error("process died before the offers were written");
    const made = await real.createMany(issuerId, items);
    if (when === "after") throw new Error("process died after the offers were written");
    return made;
  };
  return o;
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setUp() {
  const t = await tempDb();
  const secret = randomBytes(32);
  const log = await openTestLog(t.db, createSecretBox(secret));
  const services: IssuerService[] = [];
  cleanup.push(async () => {
    for (const s of services) await s.close().catch(() => undefined);
    await log.close();
    await t.dispose();
  });
  /** A service (a process) on the database; each start opens its own offer store on it. */
  const start = async () => {
    const offers = crashingOffers(await createOfferStore(sub(t.db, "offers")));
    const service = await createIssuerService({
      db: sub(t.db, "issuer"),
      veramoDb: sub(t.db, "veramo"),
      box: createSecretBox(secret),
      log,
      baseUrl: "https://issuer.test",
      offers,
    });
    services.push(service);
    return { service, offers };
  };
  return { start, log };
}

/** The offer's link secret from a wallet link (`#offer=` → `credential_offer_uri` → its last segment). */
const secretOf = (walletLink: string): string => {
  const offerUri = decodeURIComponent(walletLink.split("#offer=")[1]!);
  return new URLSearchParams(offerUri.split("?")[1])
    .get("credential_offer_uri")!
    .split("/oid4vci/offers/")[1]!;
};

const sign = (h: Holder, statement: unknown) =>
  h.signJwt({ alg: "EdDSA", kid: h.kid }, statement as Record<string, unknown>);

/** Registers a three-author MPU and has the first two sign. */
async function twoOfThree(service: IssuerService) {
  const issuer = await service.createIssuer({ name: "Crash Academy" });
  const authors = [newHolder(), newHolder(), newHolder()];
  const body = mpuAuthorship(authors[0]!.did) as { mpu: Record<string, unknown> };
  const { type: _t, subject: _s, ...rest } = body as Record<string, unknown>;
  const reg = await service.registerMpu(issuer.id, {
    ...rest,
    mpu: {
      ...body.mpu,
      authors: authors.map((a, i) => ({ id: a.did, role: i ? "co-author" : "lead author" })),
    },
  });
  for (const a of authors.slice(0, 2)) await service.signMpu(reg.id, { jws: sign(a, reg.statement) });
  const keyOf = (h: Holder) =>
    new URLSearchParams(reg.signLinks.find((l) => l.author === h.did)!.walletLink.split("#")[1]).get("key")!;
  return { issuer, authors, reg, keyOf };
}

describe("the last signature offers every author their credential, exactly once", () => {
  it("without a crash: three offers, each bound to its author, the signer's own in the answer", async () => {
    const { start } = await setUp();
    const { service, offers } = await start();
    const { issuer, authors, reg, keyOf } = await twoOfThree(service);
    const done = await service.signMpu(reg.id, { jws: sign(authors[2]!, reg.statement) });
    expect(done).toMatchObject({ state: "issued", signed: 3, of: 3 });
    expect(done.offer?.walletLink).toMatch(/^https:\/\/issuer\.test\/wallet\/#offer=/);
    const listed = await offers.list(issuer.id, {});
    expect(listed.items).toHaveLength(3);
    expect(listed.items.every((o) => o.type === "MPUAuthorship" && o.state === "pending")).toBe(true);
    // Each author sees their own offer, and a different one from the others.
    const seen = await Promise.all(authors.map((h) => service.readMpu(reg.id, { key: keyOf(h) })));
    expect(new Set(seen.map((v) => v.offer?.id)).size).toBe(3);
    expect(seen[2]!.offer?.walletLink).toBe(done.offer?.walletLink);
    const own = await service.readMpu(reg.id, { issuerId: issuer.id });
    expect(Object.keys(own.offers!)).toEqual(authors.map((a) => a.did));
    for (const a of authors) {
      const found = await offers.lookup(secretOf(seen[authors.indexOf(a)]!.offer!.walletLink));
      expect(found?.offer.holder).toBe(a.did);
      // The credential it becomes names every co-signature and its log entry.
      const mpu = (found?.offer.request as { mpu: { coSignatures: { author: string; leafIndex: number }[] } })
        .mpu;
      expect(mpu.coSignatures.map((s) => s.author)).toEqual(authors.map((x) => x.did));
      expect(mpu.coSignatures.map((s) => s.leafIndex)).toEqual(done.signatures.map((s) => s.leafIndex));
    }
  });

  for (const when of ["before", "after"] as const) {
    it(`a crash ${when} the offers were written: the restart's next request completes it, once`, async () => {
      const { start, log } = await setUp();
      const first = await start();
      const { issuer, authors, reg, keyOf } = await twoOfThree(first.service);
      first.offers.crash = when;
      await expect(first.service.signMpu(reg.id, { jws: sign(authors[2]!, reg.statement) })).rejects.toThrow(
        /process died/,
      );
      const logged = log.entries.length;
      await first.service.close();
      // The restart: the last signature is recorded and anchored; the offers are not handed out yet.
      const second = await start();
      const [x, y] = await Promise.all([
        second.service.readMpu(reg.id, { key: keyOf(authors[0]!) }),
        second.service.readMpu(reg.id, { key: keyOf(authors[1]!) }),
      ]);
      for (const v of [x, y] as MpuView[]) expect(v).toMatchObject({ state: "issued", signed: 3, of: 3 });
      expect(x.offer?.walletLink).toBeTypeOf("string");
      expect(y.offer?.walletLink).toBeTypeOf("string");
      // Exactly three offers for the three authors, whichever side of the write the crash fell on.
      const listed = await second.offers.list(issuer.id, {});
      expect(listed.items.map((o) => o.id).sort()).toEqual(
        Object.values((await second.service.readMpu(reg.id, { issuerId: issuer.id })).offers!).sort(),
      );
      expect(listed.items).toHaveLength(3);
      // Every link the authors see is live; a later request changes nothing and appends nothing.
      const again = await second.service.readMpu(reg.id, { key: keyOf(authors[0]!) });
      expect(again.offer?.walletLink).toBe(x.offer?.walletLink);
      for (const v of [x, y]) {
        expect(await second.offers.lookup(secretOf(v.offer!.walletLink))).toBeDefined();
      }
      expect(log.entries.length).toBe(logged);
      expect((await second.offers.list(issuer.id, {})).items).toHaveLength(3);
      // The MPU takes no more signatures.
      await expect(
        second.service.signMpu(reg.id, { jws: sign(authors[2]!, reg.statement) }),
      ).rejects.toMatchObject({
        code: "mpu.closed",
      });
    });
  }
});
