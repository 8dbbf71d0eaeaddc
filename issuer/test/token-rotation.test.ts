// Issuer API tokens (docs/API.md "Issuer tokens"): the admin rotates (POST) or revokes (DELETE)
// an issuer's token; the old token is dead at once, the change is anchored as a `key` entry, and
// the state survives a restart.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyReceipt } from "@meritlog/ledger/verify";
import { decodeLogEntry, type KeyLogEntry } from "@meritlog/schemas";
import { holderDid, microCredential } from "./helpers.js";
import { openRoutesApp, openRoutesFixture } from "./fixture.js";

const ADMIN = "admin-token-for-token-tests";
const holder = holderDid();
let fixture: Awaited<ReturnType<typeof openRoutesFixture>>;
let app: FastifyInstance;
let a: { id: string; did: string; token: string };
let b: { id: string; did: string; token: string };

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const issue = (token: string) =>
  app.inject({
    method: "POST",
    url: "/v1/credentials",
    headers: auth(token),
    payload: microCredential(holder),
  });
const tokenRoute = (method: "POST" | "DELETE", id: string, token?: string) =>
  app.inject({
    method,
    url: `/v1/issuers/${id}/token`,
    ...(token !== undefined ? { headers: auth(token) } : {}),
  });

beforeAll(async () => {
  fixture = await openRoutesFixture(ADMIN);
  ({ app, a, b } = fixture);
});
afterAll(async () => {
  await fixture.dispose();
});

describe("POST and DELETE /v1/issuers/{id}/token", () => {
  it("only the admin may change a token; unknown issuers are 404, bad ids 400", async () => {
    for (const method of ["POST", "DELETE"] as const) {
      expect((await tokenRoute(method, a.id)).json().code).toBe("auth.missing_token");
      expect((await tokenRoute(method, a.id, a.token)).json().code).toBe("auth.admin_required");
      expect((await tokenRoute(method, a.id, b.token)).statusCode).toBe(403);
      expect((await tokenRoute(method, "0123456789abcdef", ADMIN)).statusCode).toBe(404);
      expect((await tokenRoute(method, "not-an-id", ADMIN)).statusCode).toBe(400);
    }
    expect((await issue(a.token)).statusCode).toBe(201);
  });

  it("rotation: 200 with a new token shown once; the old token is dead, the new one works, anchored as token-rotate", async () => {
    const size = fixture.f.log.entries.length;
    const res = await tokenRoute("POST", a.id, ADMIN);
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      id: string;
      token: string;
      revoked: boolean;
      keyReceipt: Parameters<typeof verifyReceipt>[0];
    };
    expect(body).toMatchObject({ id: a.id, revoked: false, token: expect.stringMatching(/^mlt_/) });
    expect(body.token).not.toBe(a.token);
    expect((await issue(a.token)).json().code).toBe("auth.bad_token");
    expect((await issue(body.token)).statusCode).toBe(201);
    // Another issuer is untouched.
    expect((await issue(b.token)).statusCode).toBe(201);
    const entry = decodeLogEntry(new TextEncoder().encode(fixture.f.log.entries[size]!)) as KeyLogEntry;
    expect(entry).toMatchObject({ kind: "key", event: "token-rotate", issuer: a.did });
    expect(verifyReceipt(body.keyReceipt, fixture.f.log.verifierKey).ok).toBe(true);
    a = { ...a, token: body.token };
  });

  it("revocation: no token works for the issuer until the next rotation; anchored as token-revoke; survives a restart", async () => {
    const size = fixture.f.log.entries.length;
    const res = await tokenRoute("DELETE", a.id, ADMIN);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: a.id, revoked: true });
    expect(res.json().token).toBeUndefined();
    expect((await issue(a.token)).json().code).toBe("auth.bad_token");
    expect(
      (decodeLogEntry(new TextEncoder().encode(fixture.f.log.entries[size]!)) as KeyLogEntry).event,
    ).toBe("token-revoke");

    // A restart on the same database keeps the token revoked.
    const again = await fixture.f.reopen();
    const app2 = await openRoutesApp(again, ADMIN);
    try {
      expect(
        (
          await app2.inject({
            method: "POST",
            url: "/v1/credentials",
            headers: auth(a.token),
            payload: microCredential(holder),
          })
        ).statusCode,
      ).toBe(401);
      const rotated = await app2.inject({
        method: "POST",
        url: `/v1/issuers/${a.id}/token`,
        headers: auth(ADMIN),
      });
      expect(rotated.statusCode).toBe(200);
      expect(
        (
          await app2.inject({
            method: "POST",
            url: "/v1/credentials",
            headers: auth(rotated.json().token),
            payload: microCredential(holder),
          })
        ).statusCode,
      ).toBe(201);
    } finally {
      await app2.close();
      await again.close();
    }
  });
});
