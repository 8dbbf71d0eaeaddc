import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createOfferStore } from "../src/offers.js";
import { offerRoutes } from "../src/offer-routes.js";
import { apiExamples, apiOfferExamples } from "../../tests/helpers/api-examples.js";
import { BASE_URL, openFixture, openRoutesApp } from "./fixture.js";
import { decodeJwt, newHolder, verifyJwtWithDidKey } from "./helpers.js";
import { verifyReceipt } from "@meritlog/ledger/verify";

// Batch issuance, batch offers and the issuer's listing (docs/API.md "What an issuer has issued")
// with the real service and log: mixed valid and invalid rows, exactly what was issued listed,
// CSV with the same rows, one group commit for the whole batch.

const ADMIN = "mlt_admin-batch-test";
let f: Awaited<ReturnType<typeof openFixture>>;
let app: FastifyInstance;
let iss: { id: string; did: string; token: string };
let other: { id: string; token: string };

beforeAll(async () => {
  f = await openFixture();
  app = await openRoutesApp(f.service, ADMIN, async (a) => {
    await a.register(offerRoutes, {
      service: f.service,
      offers: await createOfferStore(),
      baseUrl: BASE_URL,
    });
  });
  const mk = async (name: string) =>
    (
      await app.inject({
        method: "POST",
        url: "/v1/issuers",
        headers: { authorization: `Bearer ${ADMIN}` },
        payload: { name },
      })
    ).json();
  iss = await mk("Cohort Academy");
  other = await mk("Other Academy");
});
afterAll(async () => {
  await app.close();
  await f.dispose();
});
const auth = (t = iss.token) => ({ authorization: `Bearer ${t}` });

/** Minimal RFC 4180 parser, written independently of the code under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") endCell();
    else if (ch === "\r" && text[i + 1] === "\n") {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}

describe("POST /v1/credentials/batch", () => {
  it("issues the valid rows, reports each invalid one with its problem, writes nothing for them; one group commit; listing and CSV show exactly what was issued", async () => {
    const holders = Array.from({ length: 6 }, () => newHolder());
    const ex = (i: number) => apiExamples(holders[i]!.did);
    const items = [
      ex(0).microCredential('Hand-Pump Repair, Cohort 7, "North"'),
      { ...ex(1).microCredential(), price: 5 }, // 422 claims.financial_field
      ex(2).attribution,
      ex(3).microCredential("Certified Hand-Pump Technician"), // 422 claims.*_implied
      { type: "MicroCredential" }, // 400 schema.invalid
      ex(4).mpuAuthorship,
      { ...ex(5).mpuAuthorship, subject: { id: holders[0]!.did } }, // 422 claims.subject_not_author
      { ...ex(5).microCredential(), validUntil: "2020-01-01T00:00:00Z" }, // 422 claims.already_expired
    ];
    const logBefore = f.log.entries.length;
    const res = await app.inject({
      method: "POST",
      url: "/v1/credentials/batch",
      headers: auth(),
      payload: { items },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { results } = res.json() as {
      results: Array<{
        index: number;
        id?: string;
        jwt?: string;
        receipt?: { leafIndex: number; checkpoint: string };
        error?: { code: string; status: number; detail: string };
      }>;
    };
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(results.map((r) => r.error?.code ?? "issued")).toEqual([
      "issued",
      "claims.financial_field",
      "issued",
      expect.stringMatching(/^claims\..*_implied$/),
      "schema.invalid",
      "issued",
      "claims.subject_not_author",
      "claims.already_expired",
    ]);
    for (const r of results.filter((x) => x.error)) expect(r.error!.status).toBeGreaterThanOrEqual(400);
    const issued = results.filter((r) => r.id);
    // Exactly the valid rows reached the log, all in one signed checkpoint (one group commit).
    expect(f.log.entries.length - logBefore).toBe(3);
    expect(new Set(issued.map((r) => r.receipt!.checkpoint)).size).toBe(1);
    for (const r of issued) {
      expect(verifyJwtWithDidKey(r.jwt!, iss.did)).toBe(true);
      expect(verifyReceipt(r.receipt as never, f.log.verifierKey).ok).toBe(true);
    }
    expect(decodeJwt(issued[0]!.jwt!).payload.sub).toBe(holders[0]!.did);

    // The listing shows exactly what was issued, newest first.
    const list = (await app.inject({ method: "GET", url: "/v1/credentials", headers: auth() })).json();
    expect(list.items.map((i: { id: string }) => i.id).sort()).toEqual(issued.map((r) => r.id).sort());
    const first = list.items.find((i: { id: string }) => i.id === issued[0]!.id);
    expect(first).toMatchObject({
      type: "MicroCredential",
      name: 'Hand-Pump Repair, Cohort 7, "North"',
      subject: holders[0]!.did,
      state: "active",
      validUntil: "2028-01-01T00:00:00Z",
    });
    expect(list.next).toBeNull();
    // Another issuer sees none of them.
    expect(
      (await app.inject({ method: "GET", url: "/v1/credentials", headers: auth(other.token) })).json().items,
    ).toEqual([]);

    // CSV: the same rows; round-trips through an RFC 4180 parser.
    const csv = await app.inject({
      method: "GET",
      url: "/v1/credentials",
      headers: { ...auth(), accept: "text/csv" },
    });
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const rows = parseCsv(csv.body);
    expect(rows[0]).toEqual(["id", "type", "name", "subject", "state", "issuedAt", "validUntil", "offerId"]);
    const asObjects = rows.slice(1).map((r) => Object.fromEntries(rows[0]!.map((k, i) => [k, r[i]])));
    expect(asObjects).toEqual(
      list.items.map((i: Record<string, unknown>) => ({
        ...Object.fromEntries(Object.entries(i).map(([k, v]) => [k, v === null ? "" : String(v)])),
        offerId: i.offerId ?? "",
      })),
    );

    // Filters: type, subject, state, since/until.
    const q = async (qs: string) =>
      (await app.inject({ method: "GET", url: `/v1/credentials?${qs}`, headers: auth() }))
        .json()
        .items.map((i: { id: string }) => i.id);
    expect(await q("type=Attribution")).toEqual([issued[1]!.id]);
    expect(await q(`subject=${encodeURIComponent(holders[4]!.did)}`)).toEqual([issued[2]!.id]);
    await app.inject({
      method: "POST",
      url: `/v1/credentials/${issued[1]!.id}/status`,
      headers: auth(),
      payload: { action: "suspend", reason: "under-review" },
    });
    expect(await q("state=suspended")).toEqual([issued[1]!.id]);
    expect(await q("state=active")).toHaveLength(2);
    expect(await q("since=2999-01-01T00:00:00Z")).toEqual([]);
    expect(await q("until=2000-01-01T00:00:00Z")).toEqual([]);
    const page1 = (
      await app.inject({ method: "GET", url: "/v1/credentials?limit=2", headers: auth() })
    ).json();
    const page2 = (
      await app.inject({
        method: "GET",
        url: `/v1/credentials?limit=2&cursor=${encodeURIComponent(page1.next)}`,
        headers: auth(),
      })
    ).json();
    expect([...page1.items, ...page2.items].map((i: { id: string }) => i.id)).toEqual(
      list.items.map((i: { id: string }) => i.id),
    );
    expect(page2.next).toBeNull();
    expect(
      (await app.inject({ method: "GET", url: "/v1/credentials?state=gone", headers: auth() })).statusCode,
    ).toBe(400);
  });

  it("refuses more than 1000 items or a body that is not {items: [...]} as a whole (400), issuing nothing", async () => {
    const before = f.log.entries.length;
    const tooMany = Array.from({ length: 1001 }, () => ({ type: "MicroCredential" }));
    for (const payload of [{ items: tooMany }, { items: [] }, [], { items: {} }]) {
      const res = await app.inject({
        method: "POST",
        url: "/v1/credentials/batch",
        headers: auth(),
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe("schema.invalid");
    }
    expect(f.log.entries.length).toBe(before);
  });

  it("an item whose log append fails is reported with its problem; the others are issued and stored", async () => {
    const holder = newHolder();
    const items = [apiExamples(holder.did).attribution, apiExamples(holder.did).attribution];
    f.log.failNext = 1;
    const res = await app.inject({
      method: "POST",
      url: "/v1/credentials/batch",
      headers: auth(),
      payload: { items },
    });
    expect(res.statusCode, res.body).toBe(201);
    const results = res.json().results as Array<{ id?: string; error?: { code: string } }>;
    expect(results.filter((r) => r.error).map((r) => r.error!.code)).toEqual(["log.overloaded"]);
    const ok = results.find((r) => r.id)!;
    expect(
      (await app.inject({ method: "GET", url: `/v1/credentials/${ok.id}`, headers: auth() })).statusCode,
    ).toBe(200);
  });
});

describe("POST /v1/offers/batch", () => {
  it("makes the valid offers (with tx_codes when asked), reports the invalid ones; the listing shows exactly those made", async () => {
    const offer = apiOfferExamples();
    const items = [
      { ...offer.microCredential, reference: "row 1" },
      { ...offer.microCredential, price: 3, reference: "row 2" },
      { ...offer.attribution, txCode: true, reference: "row 3" },
      { ...offer.microCredential, validFrom: "2001-01-01T00:00:00Z", reference: "row 4" },
    ];
    const res = await app.inject({
      method: "POST",
      url: "/v1/offers/batch",
      headers: auth(other.token),
      payload: { items },
    });
    expect(res.statusCode, res.body).toBe(201);
    const results = res.json().results as Array<{
      index: number;
      id?: string;
      walletLink?: string;
      offerUri?: string;
      expiresAt?: string;
      txCode?: string;
      error?: { code: string };
    }>;
    expect(results.map((r) => r.error?.code ?? "ok")).toEqual([
      "ok",
      "claims.financial_field",
      "ok",
      "claims.backdated",
    ]);
    expect(results[0]!.walletLink).toMatch(/\/wallet\/#offer=openid-credential-offer/);
    expect(results[0]!.txCode).toBeUndefined();
    expect(results[2]!.txCode).toMatch(/^\d{6}$/);
    const list = (await app.inject({ method: "GET", url: "/v1/offers", headers: auth(other.token) })).json();
    expect(list.items.map((i: { reference: string }) => i.reference).sort()).toEqual(["row 1", "row 3"]);
  });
});

describe("POST /v1/credentials/batch with issuance workers (MERITLOG_ISSUANCE_WORKERS=1)", () => {
  it("gives the same per-item outcomes, one group commit, listed records", async () => {
    const w = await openFixture({ issuanceWorkers: 1 });
    const a = await openRoutesApp(w.service, ADMIN);
    try {
      const i = (
        await a.inject({
          method: "POST",
          url: "/v1/issuers",
          headers: { authorization: `Bearer ${ADMIN}` },
          payload: { name: "Worker Academy" },
        })
      ).json();
      const h = { authorization: `Bearer ${i.token}` };
      const holder = newHolder();
      const ex = apiExamples(holder.did);
      const items = [
        ex.microCredential(),
        { ...ex.microCredential(), price: 1 },
        ex.attribution,
        { ...ex.mpuAuthorship, subject: { id: newHolder().did } },
        { ...ex.attribution, validFrom: "2001-01-01T00:00:00Z" },
      ];
      const before = w.log.entries.length;
      const res = await a.inject({
        method: "POST",
        url: "/v1/credentials/batch",
        headers: h,
        payload: { items },
      });
      expect(res.statusCode, res.body).toBe(201);
      const results = res.json().results as Array<{
        id?: string;
        receipt?: { checkpoint: string };
        error?: { code: string };
      }>;
      expect(results.map((r) => r.error?.code ?? "issued")).toEqual([
        "issued",
        "claims.financial_field",
        "issued",
        "claims.subject_not_author",
        "claims.backdated",
      ]);
      expect(w.log.entries.length - before).toBe(2);
      expect(new Set(results.filter((r) => r.receipt).map((r) => r.receipt!.checkpoint)).size).toBe(1);
      const list = (await a.inject({ method: "GET", url: "/v1/credentials", headers: h })).json();
      expect(list.items.map((x: { id: string }) => x.id).sort()).toEqual(
        results
          .filter((r) => r.id)
          .map((r) => r.id)
          .sort(),
      );
      expect(list.items.find((x: { type: string }) => x.type === "Attribution")).toMatchObject({
        name: "Hand-pump repair guide",
        subject: holder.did,
      });
    } finally {
      await a.close();
      await w.dispose();
    }
  });
});

describe("POST /v1/credentials/batch of 300 with issuance workers", () => {
  it("keeps every item's outcome at its index; one group commit; every receipt and signature holds", async () => {
    const w = await openFixture({ issuanceWorkers: 1 });
    const a = await openRoutesApp(w.service, ADMIN);
    try {
      const i = (
        await a.inject({
          method: "POST",
          url: "/v1/issuers",
          headers: { authorization: `Bearer ${ADMIN}` },
          payload: { name: "Shared Academy" },
        })
      ).json();
      const holders = Array.from({ length: 300 }, () => newHolder());
      // Refusals scattered over the batch, so some fall in the workers' chunks and some in this thread's slices.
      const refused = new Set(Array.from({ length: 300 }, (_, k) => k).filter((k) => k % 13 === 5));
      const items = holders.map((h, k) =>
        refused.has(k)
          ? { ...apiExamples(h.did).microCredential(), price: k }
          : apiExamples(h.did).microCredential(),
      );
      const before = w.log.entries.length;
      const res = await a.inject({
        method: "POST",
        url: "/v1/credentials/batch",
        headers: { authorization: `Bearer ${i.token}` },
        payload: { items },
      });
      expect(res.statusCode, res.body).toBe(201);
      const results = res.json().results as Array<{
        index: number;
        jwt?: string;
        receipt?: { checkpoint: string };
        error?: { code: string };
      }>;
      expect(results.map((r) => r.index)).toEqual(items.map((_, k) => k));
      for (const [k, r] of results.entries()) {
        if (refused.has(k)) {
          expect(r.error?.code).toBe("claims.financial_field");
          continue;
        }
        expect(r.error).toBeUndefined();
        // The credential at index k is the one asked for at index k (its subject), signed by the issuer.
        expect((decodeJwt(r.jwt!).payload as { sub?: string }).sub).toBe(holders[k]!.did);
        expect(verifyJwtWithDidKey(r.jwt!, i.did)).toBe(true);
        expect(verifyReceipt(r.receipt as never, w.log.verifierKey).ok).toBe(true);
      }
      expect(w.log.entries.length - before).toBe(300 - refused.size);
      expect(new Set(results.filter((r) => r.receipt).map((r) => r.receipt!.checkpoint)).size).toBe(1);
    } finally {
      await a.close();
      await w.dispose();
    }
  });
});
