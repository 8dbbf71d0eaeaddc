import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, holderDid, microCredential, verifyJwtWithDidKey } from "./helpers.js";
import { openRoutesFixture } from "./fixture.js";

const ADMIN = "admin-token-for-tests";
const holder = holderDid();
let app: FastifyInstance;
let a: { id: string; did: string; token: string };
let b: { id: string; did: string; token: string };

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

let fixture: Awaited<ReturnType<typeof openRoutesFixture>>;

beforeAll(async () => {
  fixture = await openRoutesFixture(ADMIN);
  ({ app, a, b } = fixture);
});
afterAll(async () => {
  await fixture.dispose();
});

describe("issuer routes", () => {
  it("POST /v1/issuers (admin) → 201 with the token once; GET /v1/issuers is the public registry", async () => {
    expect(a).toMatchObject({
      id: expect.any(String),
      did: expect.stringMatching(/^did:key:z6Mk/),
      name: "Academy A",
      token: expect.stringMatching(/^mlt_/),
    });
    const list = (await app.inject({ method: "GET", url: "/v1/issuers" })).json();
    expect(list.map((i: { name: string }) => i.name)).toEqual(["Academy A", "Academy B"]);
    for (const i of list) {
      expect(Object.keys(i).sort()).toEqual([
        "createdAt",
        "did",
        "id",
        "name",
        "previousDids",
        "previousKeys",
      ]);
      expect(i.previousDids).toEqual([]);
    }
  });

  it("issues, reads, changes status, and serves the status list", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/credentials",
      headers: auth(a.token),
      payload: microCredential(holder),
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(verifyJwtWithDidKey(body.jwt, a.did)).toBe(true);
    expect(body.status.state).toBe("active");
    const rec = await app.inject({
      method: "GET",
      url: `/v1/credentials/${body.id}`,
      headers: auth(a.token),
    });
    expect(rec.statusCode).toBe(200);
    expect(rec.json()).toMatchObject({
      id: body.id,
      state: "active",
      history: [{ kind: "issue", receipt: body.receipt }],
    });
    const st = await app.inject({
      method: "POST",
      url: `/v1/credentials/${body.id}/status`,
      headers: auth(a.token),
      payload: { action: "revoke", reason: "issued-in-error" },
    });
    expect(st.statusCode).toBe(200);
    expect(st.json()).toMatchObject({
      status: { state: "revoked" },
      receipt: { entry: expect.stringContaining('"kind":"revoke"') },
    });
    const again = await app.inject({
      method: "POST",
      url: `/v1/credentials/${body.id}/status`,
      headers: auth(a.token),
      payload: { action: "reinstate", reason: "under-review" },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("credential.transition_forbidden");
    const list = await app.inject({
      method: "GET",
      url: body.status.statusListCredential.replace("https://issuer.test", ""),
    });
    expect(list.statusCode).toBe(200);
    expect(list.headers["content-type"]).toMatch(/^application\/vc\+jwt/);
    expect(decodeJwt(list.body).payload.issuer).toBe(a.did);
    expect((await app.inject({ method: "GET", url: "/v1/status/nope" })).statusCode).toBe(404);
  });

  it("supersede and renew answer 201 with a credential naming the old one", async () => {
    const old = (
      await app.inject({
        method: "POST",
        url: "/v1/credentials",
        headers: auth(a.token),
        payload: microCredential(holder),
      })
    ).json();
    const sup = await app.inject({
      method: "POST",
      url: `/v1/credentials/${old.id}/supersede`,
      headers: auth(a.token),
      payload: microCredential(holder),
    });
    expect(sup.statusCode).toBe(201);
    expect(sup.json().supersedes).toBe(old.id);
    const ren = await app.inject({
      method: "POST",
      url: `/v1/credentials/${sup.json().id}/renew`,
      headers: auth(a.token),
      payload: microCredential(holder),
    });
    expect(ren.statusCode).toBe(422);
    expect(ren.json().code).toBe("credential.evidence_not_fresh");
  });

  it("POST /v1/anchors → 201 receipt", async () => {
    const digest = createHash("sha256").update("x").digest("hex");
    const res = await app.inject({
      method: "POST",
      url: "/v1/anchors",
      headers: auth(a.token),
      payload: { digest },
    });
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.json().receipt.entry)).toMatchObject({ kind: "anchor", digest, issuer: a.did });
  });

  describe("auth boundaries", () => {
    let credId: string;
    beforeAll(async () => {
      credId = (
        await app.inject({
          method: "POST",
          url: "/v1/credentials",
          headers: auth(a.token),
          payload: microCredential(holder),
        })
      ).json().id;
    });
    const routes = () => [
      { method: "POST" as const, url: "/v1/credentials", payload: microCredential(holder) },
      { method: "GET" as const, url: `/v1/credentials/${credId}` },
      {
        method: "POST" as const,
        url: `/v1/credentials/${credId}/status`,
        payload: { action: "suspend", reason: "unsafe" },
      },
      {
        method: "POST" as const,
        url: `/v1/credentials/${credId}/supersede`,
        payload: microCredential(holder),
      },
      { method: "POST" as const, url: "/v1/anchors", payload: { digest: "a".repeat(64) } },
      { method: "POST" as const, url: "/v1/issuers", payload: { name: "X" } },
    ];

    it("no token → 401 auth.missing_token; wrong token or other scheme → 401 auth.bad_token / missing", async () => {
      for (const r of routes()) {
        const none = await app.inject(r);
        expect([none.statusCode, none.json().code]).toEqual([401, "auth.missing_token"]);
        const bad = await app.inject({ ...r, headers: auth("mlt_" + "A".repeat(43)) });
        expect([bad.statusCode, bad.json().code]).toEqual([401, "auth.bad_token"]);
        const basic = await app.inject({
          ...r,
          headers: { authorization: `Basic ${Buffer.from("x:y").toString("base64")}` },
        });
        expect(basic.statusCode).toBe(401);
      }
    });

    it("another issuer's token → 404 on the credential, the same answer as an unknown id; the admin token is not an issuer token", async () => {
      for (const r of routes().slice(1, 4)) {
        const res = await app.inject({ ...r, headers: auth(b.token) });
        expect([res.statusCode, res.json().code]).toEqual([404, "credential.not_found"]);
        const unknown = await app.inject({
          ...r,
          url: r.url.replace(credId, "urn:uuid:00000000-0000-4000-8000-000000000000"),
          headers: auth(b.token),
        });
        expect([unknown.statusCode, unknown.json().code]).toEqual([404, "credential.not_found"]);
        const adm = await app.inject({ ...r, headers: auth(ADMIN) });
        expect(adm.statusCode).toBe(401);
      }
      expect(
        (await app.inject({ method: "GET", url: `/v1/credentials/${credId}`, headers: auth(a.token) })).json()
          .state,
      ).toBe("active");
    });

    it("issuer tokens cannot manage issuers (403 auth.admin_required)", async () => {
      const res = await app.inject({
        method: "POST",
        url: "/v1/issuers",
        headers: auth(a.token),
        payload: { name: "Sneaky" },
      });
      expect([res.statusCode, res.json().code]).toEqual([403, "auth.admin_required"]);
    });
  });

  describe("bad input → coded errors, never 500", () => {
    it.each([
      ["unknown field", { ...microCredential(holder), colour: "blue" }, 400, "schema.invalid"],
      ["financial field", { ...microCredential(holder), amount: 10 }, 422, undefined],
      ["oversized string", microCredential(holder, { reviewLevel: "x".repeat(5000) }), 400, "schema.invalid"],
      ["not an object", [1, 2], 400, "schema.invalid"],
      [
        "certification implied",
        microCredential(holder, {
          achievement: {
            name: "Certified Hand-Pump Technician",
            description: "d",
            criteria: { narrative: "n" },
          },
        }),
        422,
        undefined,
      ],
    ])("%s", async (_name, payload, status, code) => {
      const res = await app.inject({
        method: "POST",
        url: "/v1/credentials",
        headers: auth(a.token),
        payload: payload as object,
      });
      expect(res.statusCode).toBe(status);
      if (code) expect(res.json().code).toBe(code);
      else expect(res.json().code).toMatch(/^claims\./);
    });

    it("bad ids, bad status bodies, bad issuer bodies, bad query", async () => {
      const h = auth(a.token);
      expect(
        (await app.inject({ method: "GET", url: "/v1/credentials/not-a-uuid", headers: h })).json().code,
      ).toBe("schema.invalid");
      expect(
        (
          await app.inject({
            method: "GET",
            url: "/v1/credentials/urn:uuid:00000000-0000-4000-8000-000000000000",
            headers: h,
          })
        ).statusCode,
      ).toBe(404);
      const st = await app.inject({
        method: "POST",
        url: "/v1/credentials/urn:uuid:00000000-0000-4000-8000-000000000000/status",
        headers: h,
        payload: { action: "revoke", reason: "unsafe", extra: 1 },
      });
      expect([st.statusCode, st.json().code]).toEqual([400, "schema.invalid"]);
      const iss = await app.inject({
        method: "POST",
        url: "/v1/issuers",
        headers: auth(ADMIN),
        payload: { name: "" },
      });
      expect([iss.statusCode, iss.json().code]).toEqual([400, "schema.invalid"]);
      const long = await app.inject({
        method: "POST",
        url: "/v1/issuers",
        headers: auth(ADMIN),
        payload: { name: "n".repeat(201) },
      });
      expect(long.statusCode).toBe(400);
      const q = await app.inject({
        method: "POST",
        url: "/v1/credentials?format=pdf",
        headers: h,
        payload: microCredential(holder),
      });
      expect(q.statusCode).toBe(400);
      const an = await app.inject({
        method: "POST",
        url: "/v1/anchors",
        headers: h,
        payload: { digest: "a".repeat(64), note: "n".repeat(2001) },
      });
      expect(an.statusCode).toBe(400);
    });

    it("bodies beyond the route's limit are refused with 413 before parsing", async () => {
      const big = microCredential(holder, {
        achievement: { name: "n", description: "d".repeat(200 * 1024), criteria: { narrative: "n" } },
      });
      const res = await app.inject({
        method: "POST",
        url: "/v1/credentials",
        headers: auth(a.token),
        payload: big,
      });
      expect(res.statusCode).toBe(413);
      const st = await app.inject({
        method: "POST",
        url: "/v1/anchors",
        headers: auth(a.token),
        payload: { digest: "a".repeat(64), note: "n".repeat(9000) },
      });
      expect(st.statusCode).toBe(413);
    });

    it("?format=vc1.1 adds the VC 1.1 form", async () => {
      const res = await app.inject({
        method: "POST",
        url: "/v1/credentials?format=vc1.1",
        headers: auth(a.token),
        payload: microCredential(holder),
      });
      expect(res.statusCode).toBe(201);
      expect(decodeJwt(res.json().vc11.jwt).payload.vc).toBeDefined();
    });
  });
});
