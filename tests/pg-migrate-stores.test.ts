// The non-log half of `meritlog migrate`: an embedded data folder's issuers, sealed keys,
// credential records (every lifecycle state), digests, status lists and offers copied into
// PostgreSQL read back the same through the PostgreSQL stores, the sealed keys still open with
// the same secret, and an offer link sent before the migration still redeems (once).
import { createHash } from "node:crypto";
import { join } from "node:path";
import { Level } from "level";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestSchema, type TestSchema } from "@meritlog/postgres";
import { createIssuerService, createPgOfferStore, createSecretBox, pgIssuerBackend } from "@meritlog/issuer";
import { copyStoresToPostgres } from "../server/src/migrate-stores.js";
import { ADMIN_TOKEN, call, startServer } from "./helpers/server.js";
import { apiExamples, apiOfferExamples } from "./helpers/api-examples.js";

const SECRET = "migration secret";
const HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
let schema: TestSchema;
let dataDir: string;
const made: {
  issuer?: { id: string; token: string };
  creds: { id: string; jwt: string; state: string }[];
  code?: string;
  statusJwt?: string;
} = { creds: [] };

beforeAll(async () => {
  schema = await createTestSchema();
  const s = await startServer({ secret: SECRET, rateLimitPerMinute: 0 });
  dataDir = s.dataDir;
  const issuer = (
    await call(s.url, "POST", "/v1/issuers", { token: ADMIN_TOKEN, body: { name: "Old Academy" } })
  ).body as { id: string; token: string };
  made.issuer = issuer;
  expect(
    (await call(s.url, "POST", `/v1/issuers/${issuer.id}/keys/rotate`, { token: ADMIN_TOKEN })).status,
  ).toBe(201);
  for (const action of [undefined, "suspend", "revoke", "archive"]) {
    const c = (
      await call(s.url, "POST", "/v1/credentials", {
        token: issuer.token,
        body: apiExamples(HOLDER).microCredential(),
      })
    ).body as { id: string; jwt: string };
    let state = "active";
    if (action) {
      const r = await call(s.url, "POST", `/v1/credentials/${c.id}/status`, {
        token: issuer.token,
        body: { action, reason: "other", note: "migration test" },
      });
      expect(r.status).toBe(200);
      state = `${action === "suspend" ? "suspended" : action === "revoke" ? "revoked" : "archived"}`;
    }
    made.creds.push({ ...c, state });
  }
  const offer = await call(s.url, "POST", "/v1/offers", {
    token: issuer.token,
    body: apiOfferExamples().microCredential,
  });
  made.code = (offer.body as { preAuthorizedCode: string }).preAuthorizedCode;
  await s.app.close(); // stopped, data folder kept
});
afterAll(async () => {
  await schema?.drop();
});

it("copies every non-log store; records, status, sealed keys and offer links work on PostgreSQL", async () => {
  const db = new Level<string, Uint8Array>(join(dataDir, "db"), {
    keyEncoding: "utf8",
    valueEncoding: "view",
  });
  await db.open();
  const box = createSecretBox(new Uint8Array(createHash("sha256").update(SECRET).digest()));
  try {
    const counts = await copyStoresToPostgres(db, schema.pool, box);
    expect(counts).toMatchObject({ issuers: 1, credentials: 4, statusIndexes: 4, offers: 1 });
    expect(counts.privateKeys).toBe(2); // the first key and the rotated one
    // Run again: idempotent.
    expect(await copyStoresToPostgres(db, schema.pool, box)).toEqual(counts);
  } finally {
    await db.close();
  }
  const log = {
    origin: "unused",
    append: async () => {
      throw new Error("no appends in this test");
    },
    receipt: () => {
      throw new Error("no receipts in this test");
    },
  };
  const service = await createIssuerService({
    backend: pgIssuerBackend(schema.pool, box),
    box,
    log: log as never,
    baseUrl: "http://unused",
    statusList: { refreshMs: 0 },
  });
  try {
    const issuer = made.issuer!;
    expect(service.authenticate(issuer.token).id).toBe(issuer.id);
    for (const c of made.creds) {
      const rec = await service.getRecord(c.id, issuer.id);
      expect(rec.jwt).toBe(c.jwt);
      expect(rec.state).toBe(c.state);
      const found = await service.findByDigest(createHash("sha256").update(c.jwt).digest("hex"));
      expect(found?.credentialId).toBe(c.id);
    }
    expect(await service.statusBits(made.creds[1]!.id)).toEqual({ revocation: false, suspension: true });
    expect(await service.statusBits(made.creds[2]!.id)).toEqual({ revocation: true, suspension: false });
    // Signing a status list opens the (rotated) sealed key with the same secret.
    expect((await service.statusListJwt(`${issuer.id}-revocation`)).split(".")).toHaveLength(3);
    const offers = createPgOfferStore(schema.pool);
    expect(await offers.redeem(made.code!)).toHaveProperty("grant");
    expect(await offers.redeem(made.code!)).toEqual({ error: "unknown" });
  } finally {
    await service.close();
  }
});
