// Two server processes' worth of apps on one PostgreSQL database (MERITLOG_DATABASE_URL), each
// with its own data folder: the log and every other store are shared. An issuer made on one node
// works on the other, an offer made on one is redeemed once across both, and the rate limit is
// one budget across the nodes.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestSchema, type TestSchema } from "@meritlog/postgres";
import {
  ADMIN_TOKEN,
  call,
  makeIssuer,
  startServerPair,
  type RunningServer,
  type ServerPair,
} from "./helpers/server.js";
import { gunzipSync } from "node:zlib";
import { apiExamples, apiOfferExamples } from "./helpers/api-examples.js";

const PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
const LIMIT = 10;
let pair: ServerPair | undefined;
let schema: TestSchema;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  pair = await startServerPair(await createTestSchema(), {
    logOrigin: "pgstores.test/log",
    rateLimitPerMinute: LIMIT,
  });
  ({ a, b, schema } = pair);
});
afterAll(async () => await pair?.close());

it("shares issuers, offers and the rate limit between two nodes on one database", async () => {
  const issuer = await makeIssuer(a.url, "Two-node Academy");
  const { rows } = await schema.pool.query<{ token_hash: string }>("SELECT token_hash FROM issuer_issuers");
  expect(rows).toHaveLength(1);
  expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);

  // The admin's budget is one across both nodes: 1 request above, then LIMIT - 1 more in all.
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT; i++)
    statuses.push((await call(i % 2 ? a.url : b.url, "GET", "/v1/issuers", { token: ADMIN_TOKEN })).status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT - 1);
  expect(statuses[LIMIT - 1]).toBe(429);

  // Node b learns of the issuer from the database (registry re-read every 2 s).
  await expect
    .poll(async () => (await call(b.url, "GET", "/v1/issuers")).text.includes(issuer.id), {
      timeout: 8000,
      interval: 1000,
    })
    .toBe(true);
  const offer = await call(a.url, "POST", "/v1/offers", {
    token: issuer.token,
    body: apiOfferExamples().microCredential,
  });
  expect(offer.status).toBe(201);
  const code = (offer.body as { preAuthorizedCode: string }).preAuthorizedCode;
  const redeem = (url: string) =>
    call(url, "POST", "/oid4vci/token", {
      raw: new URLSearchParams({ grant_type: PRE_AUTHORIZED_GRANT, "pre-authorized_code": code }).toString(),
      contentType: "application/x-www-form-urlencoded",
    });
  const outcomes = await Promise.all([redeem(a.url), redeem(b.url), redeem(a.url), redeem(b.url)]);
  expect(outcomes.map((o) => o.status).sort()).toEqual([200, 400, 400, 400]);

  // Issued through b, read and revoked through a; b's status list says revoked at once.
  const issued = await call(b.url, "POST", "/v1/credentials", {
    token: issuer.token,
    body: apiExamples("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK").microCredential(),
  });
  expect(issued.status).toBe(201);
  const cred = issued.body as { id: string; status: { statusListIndex: string } };
  expect((await call(a.url, "GET", `/v1/credentials/${cred.id}`, { token: issuer.token })).status).toBe(200);
  const revoked = await call(a.url, "POST", `/v1/credentials/${cred.id}/status`, {
    token: issuer.token,
    body: { action: "revoke", reason: "issued-in-error" },
  });
  expect(revoked.status).toBe(200);
  const i = Number(cred.status.statusListIndex);
  // b compares its lists' version with the database at most once per refresh interval (250 ms by
  // default) and re-signs a changed list lazily: the revocation is served within that bound.
  const revokedBitOnB = async (): Promise<number> => {
    const list = await call(b.url, "GET", `/v1/status/${issuer.id}-revocation`);
    expect(list.status).toBe(200);
    const payload = JSON.parse(Buffer.from(list.text.split(".")[1]!, "base64url").toString()) as {
      credentialSubject: { encodedList: string };
    };
    const bits = gunzipSync(Buffer.from(payload.credentialSubject.encodedList.slice(1), "base64url"));
    // Bitstring Status List v1.0 §3.2: index 0 is the most significant bit of the first byte.
    return (bits[i >> 3]! >> (7 - (i & 7))) & 1;
  };
  await expect.poll(revokedBitOnB, { timeout: 6_000, interval: 700 }).toBe(1);
});

it("keeps rate-limit windows in an UNLOGGED table: no WAL flush per request, still one table for every node", async () => {
  const { rows } = await schema.pool.query<{ relpersistence: string }>(
    "SELECT relpersistence FROM pg_class WHERE relname = 'server_rate_limits' AND relnamespace = $1::regnamespace",
    [schema.schema],
  );
  expect(rows).toEqual([{ relpersistence: "u" }]);
});
