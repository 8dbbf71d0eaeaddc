// Pathways, artifact provenance and co-authored MPU records on PostgreSQL: published or anchored
// through one node, read through another (each node has its own data folder; only the database
// is shared). Before these stores existed, a PostgreSQL node dropped their writes.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { createTestSchema, type TestSchema } from "@meritlog/postgres";
import { call, makeIssuer, startServerPair, type RunningServer, type ServerPair } from "./helpers/server.js";

let pair: ServerPair | undefined;
let schema: TestSchema;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  pair = await startServerPair(await createTestSchema(), { logOrigin: "pgpath.test/log" });
  ({ a, b, schema } = pair);
}, 60_000);
afterAll(async () => await pair?.close());

it("a pathway and an artifact anchored through one node are served by the other", async () => {
  const issuer = await makeIssuer(a.url, "Shared Academy");
  const published = await call(a.url, "POST", "/v1/pathways", {
    token: issuer.token,
    body: {
      name: "Hand-pump maintenance",
      description: "Two practical units.",
      achievements: [{ name: "Hand-pump repair" }, { name: "Repair guide documentation" }],
      ordered: false,
    },
  });
  expect(published.status, published.text).toBe(201);
  const id = (published.body as { id: string }).id;
  const got = await call(b.url, "GET", `/v1/pathways/${id}`);
  expect(got.status, got.text).toBe(200);
  expect(got.body).toMatchObject({ id, state: "active", issuer: issuer.did });
  await expect
    .poll(async () => (await call(b.url, "GET", `/v1/pathways?issuer=${issuer.id}`)).text.includes(id), {
      timeout: 8000,
      interval: 1000,
    })
    .toBe(true);
  const archived = await call(b.url, "POST", `/v1/pathways/${id}/archive`, { token: issuer.token });
  expect(archived.status, archived.text).toBe(200);
  expect((await call(a.url, "GET", `/v1/pathways/${id}`)).body).toMatchObject({ state: "archived" });

  const digest = createHash("sha256").update("a repair guide, version 3").digest("hex");
  const anchored = await call(a.url, "POST", "/v1/anchors", { token: issuer.token, body: { digest } });
  expect(anchored.status, anchored.text).toBe(201);
  const report = await call(b.url, "GET", `/v1/provenance?digest=${digest}`);
  expect(report.status, report.text).toBe(200);
  expect((report.body as { records: { kind: string }[] }).records.map((r) => r.kind)).toEqual(["anchor"]);
  const { rows } = await schema.pool.query("SELECT artifact FROM issuer_provenance");
  expect(rows).toEqual([{ artifact: digest }]);
});
