import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeLogEntry } from "@meritlog/schemas";
import { verifyReceipt } from "@meritlog/ledger/verify";
import { createPathwayService, pathwayDigest, type PathwayRecord } from "../src/pathways.js";
import { levelPathwayStore } from "../src/pathway-store.js";
import { pathwayRoutes } from "../src/pathway-routes.js";
import { openFixture, openRoutesApp } from "./fixture.js";

const ADMIN = "admin-token-for-pathway-tests";
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

const body = (over: Record<string, unknown> = {}) => ({
  name: "Hand-pump maintenance pathway",
  description: "Three practical units on keeping a village hand pump working.",
  achievements: [
    { name: "Hand-pump safety literacy", minReviewLevel: "peer" },
    { name: "Hand-pump repair", id: "https://academy.example/achievements/repair" },
    { name: "Repair guide documentation" },
  ],
  ordered: true,
  ...over,
});

let f: Awaited<ReturnType<typeof openFixture>>;
let app: FastifyInstance;
let a: { id: string; did: string; token: string };
let b: { id: string; did: string; token: string };

beforeAll(async () => {
  f = await openFixture();
  const store = levelPathwayStore(
    f.db.sublevel("issuer", { keyEncoding: "utf8", valueEncoding: "view" }) as never,
  );
  const pathways = createPathwayService({ store, log: f.log, issuers: f.service });
  app = await openRoutesApp(f.service, ADMIN, async (app) => {
    await app.register(pathwayRoutes, { pathways, service: f.service });
  });
  const mk = async (name: string) =>
    (
      await app.inject({ method: "POST", url: "/v1/issuers", headers: auth(ADMIN), payload: { name } })
    ).json();
  a = await mk("Academy A");
  b = await mk("Academy B");
});
afterAll(async () => {
  await app.close();
  await f.dispose();
});

async function publish(token: string, payload: unknown) {
  return await app.inject({
    method: "POST",
    url: "/v1/pathways",
    headers: auth(token),
    payload: payload as object,
  });
}

/** The record's digest is what its log entry anchors, and the entry is included under the checkpoint. */
function expectAnchored(p: PathwayRecord, event: string): void {
  expect(pathwayDigest(p)).toBe(p.digest);
  const last = p.history.at(-1)!;
  const entry = decodeLogEntry(last.receipt.entry);
  expect(entry).toMatchObject({
    kind: "pathway",
    event,
    pathwayId: p.id,
    digest: p.digest,
    issuer: p.issuer,
  });
  expect(verifyReceipt(last.receipt, f.log.verifierKey)).toMatchObject({ ok: true });
}

describe("pathways", () => {
  it("publishes a pathway anchored in the log, readable by anyone, listed per issuer id or DID", async () => {
    const res = await publish(a.token, body());
    expect(res.statusCode).toBe(201);
    const p = res.json() as PathwayRecord;
    expect(res.headers.location).toBe(`/v1/pathways/${p.id}`);
    expect(p).toMatchObject({ state: "active", issuer: a.did, issuerId: a.id, ordered: true });
    expect(p.achievements).toHaveLength(3);
    expectAnchored(p, "publish");
    const got = await app.inject({ method: "GET", url: `/v1/pathways/${p.id}` });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(p);
    for (const issuer of [a.id, a.did]) {
      const list = await app.inject({
        method: "GET",
        url: `/v1/pathways?issuer=${encodeURIComponent(issuer)}`,
      });
      expect(list.json().items.map((x: PathwayRecord) => x.id)).toContain(p.id);
    }
    const other = await app.inject({ method: "GET", url: `/v1/pathways?issuer=${b.id}` });
    expect(other.json().items).toEqual([]);
  });

  it("supersedes: the old version stays readable, names its correction; a second correction of it is 409", async () => {
    const old = (await publish(a.token, body({ name: "Repair pathway v1" }))).json() as PathwayRecord;
    const res = await app.inject({
      method: "POST",
      url: `/v1/pathways/${old.id}/supersede`,
      headers: auth(a.token),
      payload: body({ name: "Repair pathway v2", ordered: false }),
    });
    expect(res.statusCode).toBe(201);
    const next = res.json() as PathwayRecord;
    expect(next).toMatchObject({ supersedes: old.id, state: "active", ordered: false });
    expectAnchored(next, "supersede");
    expect(decodeLogEntry(next.receipt.entry)).toMatchObject({ previous: old.id });
    const before = (await app.inject({ method: "GET", url: `/v1/pathways/${old.id}` })).json();
    expect(before).toMatchObject({ state: "superseded", supersededBy: next.id, name: "Repair pathway v1" });
    expect(pathwayDigest(before)).toBe(old.digest); // the old document is unchanged
    const again = await app.inject({
      method: "POST",
      url: `/v1/pathways/${old.id}/supersede`,
      headers: auth(a.token),
      payload: body(),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("pathway.not_active");
  });

  it("archives once; only the owner may supersede or archive (another issuer's is 404)", async () => {
    const p = (await publish(a.token, body({ name: "Archive me" }))).json() as PathwayRecord;
    const foreign = await app.inject({
      method: "POST",
      url: `/v1/pathways/${p.id}/archive`,
      headers: auth(b.token),
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe("pathway.not_found");
    const r = await app.inject({
      method: "POST",
      url: `/v1/pathways/${p.id}/archive`,
      headers: auth(a.token),
    });
    expect(r.statusCode).toBe(200);
    const archived = r.json() as PathwayRecord;
    expect(archived.state).toBe("archived");
    expect(archived.history.map((h) => h.event)).toEqual(["publish", "archive"]);
    expectAnchored(archived, "archive");
    const twice = await app.inject({
      method: "POST",
      url: `/v1/pathways/${p.id}/archive`,
      headers: auth(a.token),
    });
    expect(twice.json().code).toBe("pathway.not_active");
  });

  it("two concurrent corrections of one pathway: exactly one wins", async () => {
    const p = (await publish(a.token, body({ name: "Raced pathway" }))).json() as PathwayRecord;
    const race = await Promise.all(
      [1, 2].map((n) =>
        app.inject({
          method: "POST",
          url: `/v1/pathways/${p.id}/supersede`,
          headers: auth(a.token),
          payload: body({ name: `Raced pathway v${n + 1}` }),
        }),
      ),
    );
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it("refuses bad input with problem codes and writes nothing", async () => {
    const before = f.log.entries.length;
    const cases: [unknown, number, string][] = [
      [body({ achievements: [] }), 400, "schema.invalid"],
      [body({ ordered: "yes" }), 400, "schema.invalid"],
      [body({ extra: 1 }), 400, "schema.invalid"],
      [body({ achievements: [{ name: "A" }, { name: "A" }] }), 400, "schema.invalid"],
      [body({ achievements: [{ name: "A", minReviewLevel: "guru" }] }), 400, "schema.invalid"],
      [
        body({ achievements: Array.from({ length: 51 }, (_, i) => ({ name: `Step ${i}` })) }),
        400,
        "schema.invalid",
      ],
      [body({ name: "Certified hand-pump engineer pathway" }), 422, "claims."],
    ];
    for (const [payload, status, code] of cases) {
      const r = await publish(a.token, payload);
      expect(r.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(status);
      expect(r.json().code).toContain(code);
    }
    expect((await publish("mlt_not-a-token", body())).statusCode).toBe(401);
    expect((await app.inject({ method: "POST", url: "/v1/pathways", payload: body() })).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: "/v1/pathways/not-an-id" })).statusCode).toBe(400);
    expect((await app.inject({ method: "GET", url: "/v1/pathways" })).statusCode).toBe(400);
    const unknown = await app.inject({
      method: "GET",
      url: "/v1/pathways/urn:uuid:00000000-0000-7000-8000-000000000000",
    });
    expect(unknown.statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: "/v1/pathways?issuer=did:key:z6Mnope" })).statusCode).toBe(
      404,
    );
    expect(f.log.entries.length).toBe(before);
  });

  it("keeps pathways across a restart of the store", async () => {
    const p = (await publish(b.token, body({ name: "Durable pathway" }))).json() as PathwayRecord;
    const fresh = levelPathwayStore(
      f.db.sublevel("issuer", { keyEncoding: "utf8", valueEncoding: "view" }) as never,
    );
    expect(await fresh.get(p.id)).toEqual(p);
    expect((await fresh.list(b.id)).map((x) => x.id)).toEqual([p.id]);
  });
});
