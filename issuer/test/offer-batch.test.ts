import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createOfferStore, type OfferDb } from "../src/offers.js";
import { offerRoutes } from "../src/offer-routes.js";
import { apiOfferExamples } from "../../tests/helpers/api-examples.js";
import { BASE_URL, openFixture, openRoutesApp } from "./fixture.js";

// `POST /v1/offers/batch` (docs/API.md "Offers that survive real delivery"): the valid offers of a
// batch are written in ONE synced LevelDB batch, so the answer never acknowledges part of a batch:
// either every valid offer is durable, or the request fails and no offer of it exists.

const ADMIN = "mlt_admin-offer-batch-test";
let f: Awaited<ReturnType<typeof openFixture>>;
let app: FastifyInstance;
let token: string;
/** Every synced batch the offer store wrote, by number of operations. */
const syncedBatches: number[] = [];
let failNextBatch = false;

beforeAll(async () => {
  f = await openFixture();
  const sub = f.db.sublevel<string, Uint8Array>("offers", { keyEncoding: "utf8", valueEncoding: "view" });
  // The real LevelDB sublevel, with its batch observed (and made to fail on demand: a full disk).
  const db: OfferDb = {
    get: async (k) => await sub.get(k),
    put: async (k, v) => await sub.put(k, v),
    del: async (k) => await sub.del(k),
    keys: (o) => sub.keys(o),
    async batch(ops, o) {
      if (failNextBatch) {
        failNextBatch = false;
        throw Object.assign(new Error("disk full"), { code: "LEVEL_IO_ERROR" });
      }
      if (o.sync) syncedBatches.push(ops.length);
      await sub.batch(ops as never, o as never);
    },
  };
  const offers = await createOfferStore(db);
  app = await openRoutesApp(f.service, ADMIN, async (a) => {
    await a.register(offerRoutes, { service: f.service, offers, baseUrl: BASE_URL });
  });
  token = (
    await app.inject({
      method: "POST",
      url: "/v1/issuers",
      headers: { authorization: `Bearer ${ADMIN}` },
      payload: { name: "Batch Offer Academy" },
    })
  ).json().token;
});
afterAll(async () => {
  await app.close();
  await f.dispose();
});

const auth = () => ({ authorization: `Bearer ${token}` });
const listed = async (): Promise<string[]> =>
  (await app.inject({ method: "GET", url: "/v1/offers?limit=1000", headers: auth() }))
    .json()
    .items.map((i: { reference: string }) => i.reference)
    .sort();

describe("POST /v1/offers/batch is one durable write", () => {
  it("writes all valid offers of a 300-item batch (mixed with invalid ones) in one synced batch", async () => {
    const micro = apiOfferExamples().microCredential;
    const items = Array.from({ length: 300 }, (_, i) =>
      i % 10 === 3
        ? { ...micro, price: 1, reference: `row ${i}` }
        : { ...micro, reference: `row ${i}`, ...(i % 2 === 0 ? { txCode: true } : {}) },
    );
    syncedBatches.length = 0;
    const res = await app.inject({
      method: "POST",
      url: "/v1/offers/batch",
      headers: auth(),
      payload: { items },
    });
    expect(res.statusCode, res.body).toBe(201);
    const results = res.json().results as { index: number; id?: string; error?: { code: string } }[];
    expect(results.map((r) => r.index)).toEqual(items.map((_, i) => i));
    const ok = results.filter((r) => r.id);
    expect(ok).toHaveLength(270);
    expect(results.filter((r) => r.error?.code === "claims.financial_field")).toHaveLength(30);
    // One synced batch for the whole lot: link, code, record and index entry per offer.
    expect(syncedBatches).toEqual([270 * 4]);
    expect(new Set(ok.map((r) => r.id)).size).toBe(270);
    expect(await listed()).toEqual(
      items
        .map((_, i) => `row ${i}`)
        .filter((_, i) => i % 10 !== 3)
        .sort(),
    );
  });

  it("a failed write acknowledges nothing: the request fails and none of its offers exists", async () => {
    const before = await listed();
    const micro = apiOfferExamples().microCredential;
    failNextBatch = true;
    const res = await app.inject({
      method: "POST",
      url: "/v1/offers/batch",
      headers: auth(),
      payload: { items: [0, 1, 2].map((i) => ({ ...micro, reference: `lost ${i}` })) },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    expect(res.body).not.toContain("walletLink");
    expect(await listed()).toEqual(before);
  });
});
