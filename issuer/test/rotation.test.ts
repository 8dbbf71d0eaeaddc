// Issuer key rotation: auth boundaries of the route, the anchored `rotate` entry, the new key
// signing new credentials and status lists, the old DID kept in previousDids, the key sealed at rest.
import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyReceipt } from "@meritlog/ledger/verify";
import { decodeLogEntry, type KeyLogEntry } from "@meritlog/schemas";
import { privateKeyStore } from "../src/agent.js";
import { createSecretBox } from "../src/secret-box.js";
import {
  decodeJwt,
  holderDid,
  microCredential,
  publicKeyFromDidKey,
  verifyJwtWithDidKey,
} from "./helpers.js";
import { openRoutesFixture, type openFixture } from "./fixture.js";

const ADMIN = "admin-token-for-rotation-tests";
const holder = holderDid();
let f: Awaited<ReturnType<typeof openFixture>>;
let app: FastifyInstance;
let a: { id: string; did: string; token: string };
let b: { id: string; did: string; token: string };

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const rotate = (id: string, token?: string) =>
  app.inject({
    method: "POST",
    url: `/v1/issuers/${id}/keys/rotate`,
    ...(token !== undefined ? { headers: auth(token) } : {}),
  });

let fixture: Awaited<ReturnType<typeof openRoutesFixture>>;

beforeAll(async () => {
  fixture = await openRoutesFixture(ADMIN);
  ({ f, app, a, b } = fixture);
});
afterAll(async () => {
  await fixture.dispose();
});

describe("POST /v1/issuers/{id}/keys/rotate", () => {
  it("refuses without a token (401), with a bad token (401), with another issuer's token (403 auth.forbidden)", async () => {
    const none = await rotate(a.id);
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe("auth.missing_token");
    const bad = await rotate(a.id, "mlt_not-a-real-token");
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe("auth.bad_token");
    const other = await rotate(a.id, b.token);
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe("auth.forbidden");
    // Nothing changed.
    expect(f.service.getIssuer(a.id)).toMatchObject({ did: a.did, previousDids: [] });
    expect((await rotate("0123456789abcdef", ADMIN)).statusCode).toBe(404);
    expect((await rotate("not-an-id", ADMIN)).statusCode).toBe(400);
  });

  it("with the issuer's own token: a new did:key, anchored as a rotate entry; new credentials and status lists use the new key; old ones still verify", async () => {
    const before = (
      await app.inject({
        method: "POST",
        url: "/v1/credentials",
        headers: auth(a.token),
        payload: microCredential(holder),
      })
    ).json();
    expect(verifyJwtWithDidKey(before.jwt, a.did)).toBe(true);
    const listPath = before.status.statusListCredential.replace("https://issuer.test", "");
    expect(decodeJwt((await app.inject({ method: "GET", url: listPath })).body).payload.iss).toBe(a.did);

    const res = await rotate(a.id, a.token);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(["did", "id", "keyReceipt", "previousDid"]);
    expect(body).toMatchObject({ id: a.id, previousDid: a.did, did: expect.stringMatching(/^did:key:z6Mk/) });
    expect(body.did).not.toBe(a.did);

    // The anchored entry: in a signed checkpoint, exactly the documented members.
    expect(verifyReceipt(body.keyReceipt, f.log.verifierKey).ok).toBe(true);
    const entry = decodeLogEntry(body.keyReceipt.entry) as KeyLogEntry;
    const pub = publicKeyFromDidKey(body.did);
    expect(entry).toEqual({
      kind: "key",
      event: "rotate",
      issuer: body.did,
      previous: a.did,
      kid: `${body.did}#${body.did.slice("did:key:".length)}`,
      digest: createHash("sha256").update(pub).digest("hex"),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      v: 1,
    });
    expect(body.keyReceipt.entry).toBe(
      `{"at":"${entry.at}","digest":"${entry.digest}","event":"rotate","issuer":"${body.did}","kid":"${entry.kid}","kind":"key","previous":"${a.did}","v":1}`,
    );

    // Registry: the new DID, the old one in previousDids.
    const list = (await app.inject({ method: "GET", url: "/v1/issuers" })).json();
    const mine = list.find((i: { id: string }) => i.id === a.id);
    expect(mine).toMatchObject({
      did: body.did,
      previousDids: [a.did],
      previousKeys: [{ did: a.did, retiredAt: entry.at }],
    });
    expect(list.find((i: { id: string }) => i.id === b.id)).toMatchObject({
      did: b.did,
      previousDids: [],
      previousKeys: [],
    });

    // New credentials: signed by the new key (checked by hand from the did:key), kid and issuer the new DID.
    const after = (
      await app.inject({
        method: "POST",
        url: "/v1/credentials",
        headers: auth(a.token),
        payload: microCredential(holder),
      })
    ).json();
    expect(verifyJwtWithDidKey(after.jwt, body.did)).toBe(true);
    expect(verifyJwtWithDidKey(after.jwt, a.did)).toBe(false);
    const d = decodeJwt(after.jwt);
    expect(d.header.kid).toBe(entry.kid);
    expect(d.payload.iss).toBe(body.did);
    expect((d.payload.issuer as { id: string }).id).toBe(body.did);
    // The old credential still verifies with the old DID.
    expect(verifyJwtWithDidKey(before.jwt, a.did)).toBe(true);

    // Status lists are re-signed with the new key at once, and say what the bits say.
    const revoke = await app.inject({
      method: "POST",
      url: `/v1/credentials/${before.id}/status`,
      headers: auth(a.token),
      payload: { action: "revoke", reason: "issued-in-error" },
    });
    expect(revoke.statusCode).toBe(200);
    expect(JSON.parse(revoke.json().receipt.entry).issuer).toBe(a.did); // the credential's own (old) DID
    const listJwt = (await app.inject({ method: "GET", url: listPath })).body;
    expect(decodeJwt(listJwt).payload.iss).toBe(body.did);
    expect(verifyJwtWithDidKey(listJwt, body.did)).toBe(true);

    // The issuer's token still works; b is untouched.
    expect(f.service.authenticate(a.token).did).toBe(body.did);
    expect(f.service.getIssuer(b.id)!.did).toBe(b.did);
  });

  it("with the admin token, twice more: previousDids grows oldest first; the new private key is sealed at rest; survives a restart", async () => {
    const first = f.service.getIssuer(a.id)!;
    const r1 = (await rotate(a.id, ADMIN)).json();
    const r2 = (await rotate(a.id, ADMIN)).json();
    expect(r1.previousDid).toBe(first.did);
    expect(r2.previousDid).toBe(r1.did);
    expect(f.service.getIssuer(a.id)!.previousDids).toEqual([a.did, first.did, r1.did]);
    for (const r of [r1, r2]) expect(verifyReceipt(r.keyReceipt, f.log.verifierKey).ok).toBe(true);

    // The agent holds the new key; its metadata has no private material, and no stored value holds the seed in clear.
    const kid = (await f.service.agent.didManagerGet({ did: r2.did })).keys[0]!.kid;
    expect((await f.service.agent.keyManagerGet({ kid })).privateKeyHex).toBeUndefined();
    const veramoDb = f.db.sublevel<string, Uint8Array>("veramo", {
      keyEncoding: "utf8",
      valueEncoding: "view",
    }) as never;
    const seed = Buffer.from(
      (await privateKeyStore(veramoDb, createSecretBox(f.secret)).getKey({ alias: kid })).privateKeyHex,
      "hex",
    ).subarray(0, 32);
    const needles = [
      seed,
      Buffer.from(seed.toString("hex")),
      Buffer.from(seed.toString("base64")),
      Buffer.from(seed.toString("base64url")),
    ];
    for await (const [, v] of f.db.iterator({ keyEncoding: "utf8", valueEncoding: "view" })) {
      for (const n of needles) expect(Buffer.from(v).includes(n)).toBe(false);
    }

    // After a restart: same registry, and issuance signs with the newest key.
    const again = await f.reopen();
    expect(again.getIssuer(a.id)).toMatchObject({ did: r2.did, previousDids: [a.did, first.did, r1.did] });
    const issued = await again.issue(a.id, microCredential(holder));
    expect(verifyJwtWithDidKey(issued.jwt, r2.did)).toBe(true);
    expect(decodeJwt(issued.jwt).payload.iss).toBe(r2.did);
  });

  it("concurrent rotations of one issuer run one after the other (a chain, no lost DID)", async () => {
    const start = f.service.getIssuer(b.id)!.did;
    const [x, y] = await Promise.all([f.service.rotateKey(b.id), f.service.rotateKey(b.id)]);
    expect(x.previousDid).toBe(start);
    expect(y.previousDid).toBe(x.did);
    expect(f.service.getIssuer(b.id)).toMatchObject({ did: y.did, previousDids: [start, x.did] });
  });
});
