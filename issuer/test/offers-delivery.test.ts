import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sign, type KeyObject } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { createOfferStore } from "../src/offers.js";
import { offerRoutes } from "../src/offer-routes.js";
import { oid4vciRoutes, PRE_AUTHORIZED_GRANT } from "../src/oid4vci.js";
import { apiExamples, apiOfferExamples } from "../../tests/helpers/api-examples.js";
import { BASE_URL, openFixture, openRoutesApp } from "./fixture.js";
import { decodeJwt, newHolder, type Holder } from "./helpers.js";

// Offers that survive real delivery (docs/API.md), over HTTP with the real issuer service and the
// real transparency log; the clock is injected into the service, the offer store and the routes,
// and moved by the tests. "Nothing logged" is the log's exact entry count.

const ADMIN = "mlt_admin-offers-test";
const DAY = 86_400_000;
const MICRO = apiOfferExamples().microCredential;

let clock = new Date("2026-11-30T12:00:00Z");
const now = () => clock;
let f: Awaited<ReturnType<typeof openFixture>>;
let app: FastifyInstance;
let issuer: { id: string; did: string; token: string };
let other: { id: string; token: string };

beforeAll(async () => {
  f = await openFixture({ now });
  app = await openRoutesApp(f.service, ADMIN, async (a) => {
    // On LevelDB, as the server has it (synced batches); the listing test below uses the in-memory store.
    const offers = await createOfferStore(
      f.db.sublevel<string, Uint8Array>("offers", { keyEncoding: "utf8", valueEncoding: "view" }) as never,
      { now },
    );
    await a.register(oid4vciRoutes, { service: f.service, offers, baseUrl: BASE_URL, now });
    await a.register(offerRoutes, { service: f.service, offers, baseUrl: BASE_URL, now });
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
  issuer = await mk("Kaduna North Academy");
  other = await mk("Another Academy");
});
afterAll(async () => {
  await app.close();
  await f.dispose();
});
beforeEach(() => {
  clock = new Date("2026-11-30T12:00:00Z");
});

const auth = (t = issuer.token) => ({ authorization: `Bearer ${t}` });
const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
function proofJwt(h: Holder, nonce: string): string {
  const input = `${b64u({ typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: `${h.did}#${h.did.slice(8)}` })}.${b64u({ aud: BASE_URL, iat: Math.floor(clock.getTime() / 1000), nonce })}`;
  return `${input}.${sign(null, Buffer.from(input), h.key as KeyObject).toString("base64url")}`;
}

interface Created {
  id: string;
  offerId: string;
  offerUri: string;
  walletLink: string;
  preAuthorizedCode: string;
  expiresAt: string;
  txCode?: string;
}
async function createOffer(body: Record<string, unknown> = MICRO): Promise<Created> {
  const res = await app.inject({ method: "POST", url: "/v1/offers", headers: auth(), payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const tokenReq = (code: string, txCode?: string) =>
  app.inject({
    method: "POST",
    url: "/oid4vci/token",
    payload: {
      grant_type: PRE_AUTHORIZED_GRANT,
      "pre-authorized_code": code,
      ...(txCode !== undefined ? { tx_code: txCode } : {}),
    },
  });

/** The whole wallet side: offer object by reference, token (with tx_code), credential with a key proof. */
async function redeem(o: Created, txCode?: string, holder = newHolder()) {
  const byRef = await app.inject({
    method: "GET",
    url: new URL(decodeURIComponent(o.offerUri.split("credential_offer_uri=")[1]!)).pathname,
  });
  if (byRef.statusCode !== 200)
    return { ok: false as const, step: "offer", status: byRef.statusCode, body: byRef.json() };
  const tok = await tokenReq(byRef.json().grants[PRE_AUTHORIZED_GRANT]["pre-authorized_code"], txCode);
  if (tok.statusCode !== 200)
    return { ok: false as const, step: "token", status: tok.statusCode, body: tok.json() };
  const t = tok.json();
  const res = await app.inject({
    method: "POST",
    url: "/oid4vci/credential",
    headers: { authorization: `Bearer ${t.access_token}` },
    payload: { proofs: { jwt: [proofJwt(holder, t.c_nonce)] } },
  });
  if (res.statusCode !== 200)
    return { ok: false as const, step: "credential", status: res.statusCode, body: res.json() };
  return {
    ok: true as const,
    holder,
    body: res.json() as { credential: string; credentialId: string; receipt: unknown },
  };
}
const getOffer = async (id: string) =>
  (await app.inject({ method: "GET", url: `/v1/offers/${id}`, headers: auth() })).json();

describe("offer lifetimes (clock moved)", () => {
  it("an offer used after 1 day and another after 29 days both work; the 30-day default is in expiresAt", async () => {
    const a = await createOffer();
    const b = await createOffer();
    expect(Date.parse(a.expiresAt) - clock.getTime()).toBe(30 * DAY);
    clock = new Date(clock.getTime() + DAY);
    const ra = await redeem(a);
    expect(ra.ok, JSON.stringify(ra)).toBe(true);
    clock = new Date(Date.parse("2026-11-30T12:00:00Z") + 29 * DAY);
    const rb = await redeem(b);
    expect(rb.ok, JSON.stringify(rb)).toBe(true);
    if (!rb.ok) return;
    // The credential is valid from when it was issued (day 29), bound to the wallet.
    const { payload } = decodeJwt(rb.body.credential);
    expect(payload.sub).toBe(rb.holder.did);
    expect(payload.validFrom).toBe("2026-12-29T12:00:00Z");
  });

  it("after its lifetime an offer is refused with a clear message and nothing is logged", async () => {
    const o = await createOffer({ ...MICRO, expiresIn: 7 * 86_400 });
    const before = f.log.entries.length;
    clock = new Date(Date.parse(o.expiresAt) + 1000);
    // The link itself is gone for wallets…
    expect((await redeem(o)).step).toBe("offer");
    // …and a wallet that kept the pre-authorized code is refused at the token endpoint.
    const tok = await tokenReq(o.preAuthorizedCode);
    expect(tok.statusCode).toBe(400);
    expect(tok.json()).toEqual({
      error: "invalid_grant",
      error_description: `this offer expired on ${o.expiresAt}; ask your issuer for a new link`,
    });
    expect(f.log.entries.length).toBe(before);
    expect((await getOffer(o.id)).state).toBe("expired");
  });

  it("expiresIn is bounded: at most one year, at least a minute", async () => {
    for (const expiresIn of [31_536_001, 59, 1.5, "30d"]) {
      const res = await app.inject({
        method: "POST",
        url: "/v1/offers",
        headers: auth(),
        payload: { ...MICRO, expiresIn },
      });
      expect(res.statusCode, String(expiresIn)).toBe(400);
      expect(res.json().code).toBe("schema.invalid");
    }
    const year = await createOffer({ ...MICRO, expiresIn: 31_536_000 });
    expect(Date.parse(year.expiresAt) - clock.getTime()).toBe(365 * DAY);
  });
});

describe("cancel and reissue", () => {
  it("a cancelled offer is dead; the listing says cancelled; cancelling twice is 409", async () => {
    const o = await createOffer({ ...MICRO, reference: "cohort 7, row 3" });
    const del = await app.inject({ method: "DELETE", url: `/v1/offers/${o.id}`, headers: auth() });
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json()).toMatchObject({ id: o.id, state: "cancelled", reference: "cohort 7, row 3" });
    expect((await redeem(o)).step).toBe("offer");
    expect((await tokenReq(o.preAuthorizedCode)).statusCode).toBe(400);
    expect(
      (await app.inject({ method: "DELETE", url: `/v1/offers/${o.id}`, headers: auth() })).json().code,
    ).toBe("offer.not_pending");
  });

  it("reissue gives a new link and code; the old ones are dead, the new one works", async () => {
    const o = await createOffer({ ...MICRO, txCode: true });
    const re = await app.inject({ method: "POST", url: `/v1/offers/${o.id}/reissue`, headers: auth() });
    expect(re.statusCode, re.body).toBe(201);
    const n = re.json() as Created;
    expect(n.id).toBe(o.id);
    expect(n.offerId).not.toBe(o.offerId);
    expect(n.preAuthorizedCode).not.toBe(o.preAuthorizedCode);
    expect(n.txCode).toMatch(/^\d{6}$/);
    expect((await redeem(o, o.txCode)).step).toBe("offer");
    const old = await tokenReq(o.preAuthorizedCode, o.txCode);
    expect(old.statusCode).toBe(400);
    const ok = await redeem(n, n.txCode);
    expect(ok.ok, JSON.stringify(ok)).toBe(true);
  });

  it("an offer cancelled after its access token was handed out is refused at the credential endpoint; nothing is logged", async () => {
    const o = await createOffer();
    const tok = await tokenReq(o.preAuthorizedCode);
    expect(tok.statusCode, tok.body).toBe(200);
    const t = tok.json();
    // The link is spent but the credential not yet issued: the issuer may still cancel.
    const del = await app.inject({ method: "DELETE", url: `/v1/offers/${o.id}`, headers: auth() });
    expect(del.statusCode, del.body).toBe(200);
    const before = f.log.entries.length;
    const res = await app.inject({
      method: "POST",
      url: "/oid4vci/credential",
      headers: { authorization: `Bearer ${t.access_token}` },
      payload: { proofs: { jwt: [proofJwt(newHolder(), t.c_nonce)] } },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ error: "credential_request_denied", code: "offer.not_pending" });
    expect(res.json().error_description).toMatch(/cancelled/);
    expect(f.log.entries.length).toBe(before);
    expect(await getOffer(o.id)).toMatchObject({ state: "cancelled" });
    expect((await getOffer(o.id)).credentialId).toBeUndefined();
  });

  it("another issuer cannot see, cancel or reissue the offer (404)", async () => {
    const o = await createOffer();
    for (const [method, url] of [
      ["GET", `/v1/offers/${o.id}`],
      ["DELETE", `/v1/offers/${o.id}`],
      ["POST", `/v1/offers/${o.id}/reissue`],
    ] as const) {
      const res = await app.inject({ method, url, headers: auth(other.token) });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code).toBe("offer.not_found");
    }
    expect((await getOffer(o.id)).state).toBe("pending");
  });
});

describe("tx_code (OpenID4VCI 1.0 §4.1.1, §6.1)", () => {
  it("is shown once, announced in the offer, required and checked at the token endpoint", async () => {
    const o = await createOffer({ ...MICRO, txCode: true });
    expect(o.txCode).toMatch(/^\d{6}$/);
    const byRef = await app.inject({ method: "GET", url: `/oid4vci/offers/${o.offerId}` });
    expect(byRef.json().grants[PRE_AUTHORIZED_GRANT].tx_code).toMatchObject({
      input_mode: "numeric",
      length: 6,
    });
    const view = await getOffer(o.id);
    expect(JSON.stringify(view)).not.toContain(o.txCode!);
    expect(view.txCode).toBe(true);
    const missing = await tokenReq(o.preAuthorizedCode);
    expect(missing.json()).toMatchObject({ error: "invalid_grant" });
    expect(missing.json().error_description).toMatch(/6-digit code/);
    const wrong = o.txCode === "000000" ? "000001" : "000000";
    const bad = await tokenReq(o.preAuthorizedCode, wrong);
    expect(bad.json()).toEqual({
      error: "invalid_grant",
      error_description: "the code (tx_code) is wrong; 4 tries left",
    });
    const ok = await redeem(o, o.txCode);
    expect(ok.ok, JSON.stringify(ok)).toBe(true);
  });

  it("five wrong tries kill the offer, even for the right code afterwards; nothing is logged", async () => {
    const o = await createOffer({ ...MICRO, txCode: true });
    const before = f.log.entries.length;
    const wrong = o.txCode === "123456" ? "654321" : "123456";
    const answers: string[] = [];
    for (let i = 0; i < 5; i++)
      answers.push((await tokenReq(o.preAuthorizedCode, wrong)).json().error_description);
    expect(answers[3]).toMatch(/1 try left/);
    expect(answers[4]).toMatch(/five times; this offer is cancelled/);
    expect((await tokenReq(o.preAuthorizedCode, o.txCode)).statusCode).toBe(400);
    expect(await getOffer(o.id)).toMatchObject({ state: "cancelled", cancelReason: "tx_code" });
    expect(f.log.entries.length).toBe(before);
  });
});

describe("offer listing and the offer → credential link", () => {
  it("lists the issuer's offers with state, newest first, paged; never a secret; redeemed offers name their credential and the record names the offer", async () => {
    const fresh = await openFixture({ now });
    const a = await openRoutesApp(fresh.service, ADMIN, async (x) => {
      const offers = await createOfferStore(undefined, { now });
      await x.register(oid4vciRoutes, { service: fresh.service, offers, baseUrl: BASE_URL, now });
      await x.register(offerRoutes, { service: fresh.service, offers, baseUrl: BASE_URL, now });
    });
    try {
      const iss = (
        await a.inject({
          method: "POST",
          url: "/v1/issuers",
          headers: { authorization: `Bearer ${ADMIN}` },
          payload: { name: "Listing Academy" },
        })
      ).json();
      const h = { authorization: `Bearer ${iss.token}` };
      const made: Created[] = [];
      for (let i = 0; i < 4; i++) {
        clock = new Date(clock.getTime() + 1000);
        made.push(
          (
            await a.inject({
              method: "POST",
              url: "/v1/offers",
              headers: h,
              payload: { ...MICRO, reference: `learner ${i}`, ...(i === 2 ? { expiresIn: 60 } : {}) },
            })
          ).json(),
        );
      }
      await a.inject({ method: "DELETE", url: `/v1/offers/${made[3]!.id}`, headers: h });
      // Redeem offer 0 through this app.
      const tok = (
        await a.inject({
          method: "POST",
          url: "/oid4vci/token",
          payload: { grant_type: PRE_AUTHORIZED_GRANT, "pre-authorized_code": made[0]!.preAuthorizedCode },
        })
      ).json();
      const holder = newHolder();
      const cred = (
        await a.inject({
          method: "POST",
          url: "/oid4vci/credential",
          headers: { authorization: `Bearer ${tok.access_token}` },
          payload: { proofs: { jwt: [proofJwt(holder, tok.c_nonce)] } },
        })
      ).json();
      clock = new Date(clock.getTime() + 120_000); // offer 2 (60 s) has expired

      const all = (await a.inject({ method: "GET", url: "/v1/offers", headers: h })).json();
      expect(all.items.map((i: { reference: string; state: string }) => `${i.reference}:${i.state}`)).toEqual(
        ["learner 3:cancelled", "learner 2:expired", "learner 1:pending", "learner 0:redeemed"],
      );
      expect(all.next).toBeNull();
      const text = JSON.stringify(all);
      for (const m of made)
        for (const secret of [m.offerId, m.preAuthorizedCode]) expect(text).not.toContain(secret);
      const redeemed = all.items[3];
      expect(redeemed.credentialId).toBe(cred.credentialId);
      expect(Date.parse(redeemed.redeemedAt)).toBeGreaterThan(0);
      const record = (
        await a.inject({ method: "GET", url: `/v1/credentials/${cred.credentialId}`, headers: h })
      ).json();
      expect(record.offerId).toBe(made[0]!.id);
      // The reference is the issuer's own label: never in the credential or the log.
      expect(Buffer.from(cred.credential.split(".")[1], "base64url").toString()).not.toContain("learner 0");
      expect(fresh.log.entries.join("\n")).not.toContain("learner");

      for (const state of ["pending", "redeemed", "expired", "cancelled"]) {
        const page = (await a.inject({ method: "GET", url: `/v1/offers?state=${state}`, headers: h })).json();
        expect(page.items.map((i: { state: string }) => i.state)).toEqual([state]);
      }
      const p1 = (await a.inject({ method: "GET", url: "/v1/offers?limit=3", headers: h })).json();
      expect(p1.items).toHaveLength(3);
      const p2 = (
        await a.inject({ method: "GET", url: `/v1/offers?limit=3&cursor=${p1.next}`, headers: h })
      ).json();
      expect(p2.items.map((i: { reference: string }) => i.reference)).toEqual(["learner 0"]);
      expect(p2.next).toBeNull();
      const byOffer = (
        await a.inject({ method: "GET", url: `/v1/credentials?offer=${made[0]!.id}`, headers: h })
      ).json();
      expect(byOffer.items.map((i: { id: string }) => i.id)).toEqual([cred.credentialId]);
      expect((await a.inject({ method: "GET", url: "/v1/offers?state=lost", headers: h })).statusCode).toBe(
        400,
      );
    } finally {
      await a.close();
      await fresh.dispose();
    }
  });
});

describe("offers validate like credentials", () => {
  it("a price field is 422 claims.financial_field on both routes", async () => {
    const holder = newHolder();
    for (const [url, body] of [
      ["/v1/offers", { ...MICRO, price: 10 }],
      ["/v1/credentials", { ...apiExamples(holder.did).microCredential(), price: 10 }],
    ] as const) {
      const res = await app.inject({ method: "POST", url, headers: auth(), payload: body });
      expect(res.statusCode, url).toBe(422);
      expect(res.json().code).toBe("claims.financial_field");
    }
  });

  it("backdated validFrom and already-expired validUntil are refused for credentials and offers; the learning's dates go on the subject", async () => {
    const holder = newHolder();
    const direct = apiExamples(holder.did).microCredential();
    const before = f.log.entries.length;
    const cases = [
      [{ validFrom: "2026-11-30T11:54:00Z" }, "claims.backdated"],
      [{ validUntil: "2026-11-30T12:00:00Z" }, "claims.already_expired"],
      [{ validUntil: "2020-01-01T00:00:00Z" }, "claims.already_expired"],
    ] as const;
    for (const [dates, code] of cases) {
      for (const [url, body] of [
        ["/v1/offers", { ...MICRO, ...dates }],
        ["/v1/credentials", { ...direct, ...dates }],
      ] as const) {
        const res = await app.inject({ method: "POST", url, headers: auth(), payload: body });
        expect(res.statusCode, `${url} ${JSON.stringify(dates)}`).toBe(422);
        expect(res.json().code).toBe(code);
      }
    }
    expect(f.log.entries.length).toBe(before);
    // Within the 300 s skew is fine, and the date of the learning is carried on the subject (OB 3.0).
    const ok = await app.inject({
      method: "POST",
      url: "/v1/credentials",
      headers: auth(),
      payload: {
        ...direct,
        subject: {
          id: holder.did,
          activityStartDate: "2026-03-01T08:00:00Z",
          activityEndDate: "2026-03-05T17:00:00Z",
        },
        validFrom: "2026-11-30T11:56:00Z",
      },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const subject = decodeJwt(ok.json().jwt).payload.credentialSubject as Record<string, unknown>;
    expect(subject).toMatchObject({
      id: holder.did,
      activityStartDate: "2026-03-01T08:00:00Z",
      activityEndDate: "2026-03-05T17:00:00Z",
    });
  });

  it("an offer carries the dates of the learning on its subject; the redeeming wallet's DID joins them", async () => {
    const dates = { activityStartDate: "2026-03-01T08:00:00Z", activityEndDate: "2026-03-05T17:00:00Z" };
    const o = await createOffer({ ...MICRO, subject: dates });
    // Days later: validFrom is the redemption, the learning keeps its own dates.
    clock = new Date("2026-12-03T09:00:00Z");
    const r = await redeem(o);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const { payload } = decodeJwt(r.body.credential);
    expect(payload.validFrom).toBe("2026-12-03T09:00:00Z");
    expect(payload.credentialSubject).toMatchObject({ id: r.holder.did, ...dates });
    // The same rules as direct issuance: no subject id in an offer, no end before start, no backdating.
    for (const [subject, extra, status, code] of [
      [{ id: newHolder().did }, {}, 400, "schema.invalid"],
      [
        { activityStartDate: "2026-03-05T00:00:00Z", activityEndDate: "2026-03-01T00:00:00Z" },
        {},
        400,
        "schema.invalid",
      ],
      [{ activityStartDate: "not a date" }, {}, 400, "schema.invalid"],
      [dates, { validFrom: "2026-03-01T08:00:00Z" }, 422, "claims.backdated"],
      [{ ...dates, name: "Amina" }, {}, 422, "claims.pii_field"],
    ] as const) {
      const res = await app.inject({
        method: "POST",
        url: "/v1/offers",
        headers: auth(),
        payload: { ...MICRO, ...extra, subject },
      });
      expect(res.statusCode, JSON.stringify(subject)).toBe(status);
      expect(res.json().code, JSON.stringify(subject)).toBe(code);
    }
  });

  it("an offer whose validUntil passes before redemption is refused and nothing is logged", async () => {
    const o = await createOffer({ ...MICRO, validUntil: "2026-12-10T00:00:00Z" });
    const before = f.log.entries.length;
    clock = new Date("2026-12-11T00:00:00Z");
    const r = await redeem(o);
    expect(r.ok).toBe(false);
    expect(f.log.entries.length).toBe(before);
  });
});

describe("MPU authorship: the holder placeholder", () => {
  it('a redeemed MPU offer names the redeeming wallet as the "holder" author', async () => {
    const offer = apiOfferExamples().mpuAuthorship;
    const coAuthor = newHolder().did;
    const mpu = {
      ...(offer.mpu as Record<string, unknown>),
      authors: [
        { id: "holder", role: "lead author" },
        { id: coAuthor, role: "reviewer" },
      ],
    };
    const o = await createOffer({ ...offer, mpu });
    const r = await redeem(o);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const subject = decodeJwt(r.body.credential).payload.credentialSubject as {
      id: string;
      mpu: { authors: { id: string; role: string }[] };
    };
    expect(subject.id).toBe(r.holder.did);
    expect(subject.mpu.authors).toEqual([
      { id: r.holder.did, role: "lead author" },
      { id: coAuthor, role: "reviewer" },
    ]);
  });

  it('an MPU offer without exactly one "holder" author is 400; a direct MPUAuthorship for a non-author is 422 claims.subject_not_author', async () => {
    const offer = apiOfferExamples().mpuAuthorship;
    const named = {
      ...(offer.mpu as Record<string, unknown>),
      authors: [{ id: newHolder().did, role: "lead author" }],
    };
    const res = await app.inject({
      method: "POST",
      url: "/v1/offers",
      headers: auth(),
      payload: { ...offer, mpu: named },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe("schema.invalid");
    const holder = newHolder();
    const direct = apiExamples(holder.did).mpuAuthorship;
    const notAuthor = { ...direct, subject: { id: newHolder().did } };
    const before = f.log.entries.length;
    const refused = await app.inject({
      method: "POST",
      url: "/v1/credentials",
      headers: auth(),
      payload: notAuthor,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe("claims.subject_not_author");
    expect(f.log.entries.length).toBe(before);
    expect(
      (await app.inject({ method: "POST", url: "/v1/credentials", headers: auth(), payload: direct }))
        .statusCode,
    ).toBe(201);
  });
});
