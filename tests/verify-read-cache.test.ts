// Issue 10: on the embedded LevelDB the verifier keeps a credential's history and endorsement
// listing between writes (server/src/write-watched-cache.ts). Correctness first: every change
// (status, replacement, a new endorsement, an endorsement's own status) is in the very next report,
// with the same history the issuer's record holds; and the cache itself never keeps a value
// whose load overlapped a write, nor one a write touched.
import { EventEmitter } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, configFromEnv } from "@meritlog/server";
import { WriteWatchedCache } from "../server/src/write-watched-cache.js";
import { ADMIN_TOKEN } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";

const BASE = "http://127.0.0.1:2";
let app: FastifyInstance;
let dataDir: string;
let issuer: { id: string; token: string };
let endorser: { id: string; token: string };

const admin = async (name: string) =>
  (
    await app.inject({
      method: "POST",
      url: "/v1/issuers",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { name },
    })
  ).json() as { id: string; token: string };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "meritlog-verify-read-cache-"));
  app = await buildApp(
    configFromEnv(
      {},
      { dataDir, port: 2, publicUrl: BASE, adminToken: ADMIN_TOKEN, logger: false, batchMaxDelayMs: 1 },
    ),
  );
  await app.ready();
  issuer = await admin("Read Cache Academy");
  endorser = await admin("Read Cache Guild");
}, 60_000);
afterAll(async () => {
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

type Issued = { id: string; jwt: string; receipt: unknown };
async function issue(): Promise<Issued> {
  const res = await app.inject({
    method: "POST",
    url: "/v1/credentials",
    headers: { authorization: `Bearer ${issuer.token}` },
    payload: apiExamples(newHolder().did).microCredential(),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
interface Report {
  verdict: string;
  checks: {
    status: { state: string; history?: { kind: string; reason?: string }[] };
    endorsements?: { valid: number; of: number; endorsements: { id: string; state: string }[] };
  };
}
const verify = async (c: { jwt: string; receipt: unknown }): Promise<Report> => {
  const res = await app.inject({
    method: "POST",
    url: "/v1/verify",
    payload: { credential: c.jwt, receipt: c.receipt },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const setStatus = async (token: string, id: string, action: string, reason = "under-review") => {
  const res = await app.inject({
    method: "POST",
    url: `/v1/credentials/${encodeURIComponent(id)}/status`,
    headers: { authorization: `Bearer ${token}` },
    payload: { action, reason },
  });
  expect(res.statusCode, res.body).toBe(200);
};
/** The history as the issuer's record holds it (kinds, oldest first). */
const recordKinds = async (id: string): Promise<string[]> => {
  const res = await app.inject({
    method: "GET",
    url: `/v1/credentials/${encodeURIComponent(id)}`,
    headers: { authorization: `Bearer ${issuer.token}` },
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { history: { kind: string }[] }).history.map((e) => e.kind);
};

describe("POST /v1/verify on LevelDB: a kept history or endorsement listing never outlives a change", () => {
  it("each status change is in the next report's history, exactly as recorded", async () => {
    const c = await issue();
    // Verified twice first, so the history is kept when the change comes.
    expect((await verify(c)).checks.status.history?.map((e) => e.kind)).toEqual(["issue"]);
    expect((await verify(c)).checks.status.history?.map((e) => e.kind)).toEqual(["issue"]);
    for (const [action, state] of [
      ["suspend", "suspended"],
      ["reinstate", "active"],
      ["suspend", "suspended"],
      ["revoke", "revoked"],
    ] as const) {
      await setStatus(issuer.token, c.id, action);
      const report = await verify(c);
      expect(report.checks.status.state).toBe(state);
      expect(report.checks.status.history?.map((e) => e.kind)).toEqual(await recordKinds(c.id));
      expect(report.checks.status.history?.at(-1)?.kind).toBe(action);
    }
  });

  it("a supersession is in the next report of the old credential", async () => {
    const c = await issue();
    await verify(c);
    const res = await app.inject({
      method: "POST",
      url: `/v1/credentials/${encodeURIComponent(c.id)}/supersede`,
      headers: { authorization: `Bearer ${issuer.token}` },
      payload: apiExamples(newHolder().did).microCredential("Corrected"),
    });
    expect(res.statusCode, res.body).toBe(201);
    const report = await verify(c);
    expect(report.checks.status.state).toBe("superseded");
    expect(report.checks.status.history?.map((e) => e.kind)).toEqual(await recordKinds(c.id));
  });

  it("a new endorsement, and its suspension, are in the endorsed credential's next report", async () => {
    const c = await issue();
    expect((await verify(c)).checks.endorsements).toBeUndefined();
    expect((await verify(c)).checks.endorsements).toBeUndefined();
    const res = await app.inject({
      method: "POST",
      url: "/v1/endorsements",
      headers: { authorization: `Bearer ${endorser.token}` },
      payload: { target: c.id, claim: { narrative: "Reviewed the work sample in person." } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json() as { id: string };
    const listed = (await verify(c)).checks.endorsements;
    expect(listed?.endorsements.map((x) => [x.id, x.state])).toEqual([[e.id, "valid"]]);
    expect(listed?.valid).toBe(1);
    await setStatus(endorser.token, e.id, "suspend");
    const after = (await verify(c)).checks.endorsements;
    expect(after?.endorsements.map((x) => [x.id, x.state])).toEqual([[e.id, "invalid"]]);
    expect(after?.valid).toBe(0);
  });
});

describe("WriteWatchedCache", () => {
  const announcer = () => {
    const ee = new EventEmitter();
    return {
      ee,
      write: (...keys: string[]) =>
        ee.emit(
          "write",
          keys.map((key) => ({ key })),
        ),
    };
  };
  const depsOf = (key: string) => (key.startsWith("r!") ? [key.slice(2)] : []);

  it("keeps a value until a write names one of its dependencies", async () => {
    const { ee, write } = announcer();
    const cache = new WriteWatchedCache<number>(ee, depsOf);
    let loads = 0;
    const load = async () => ({ value: ++loads, deps: ["a", "b"] });
    expect(await cache.get("k", load)).toBe(1);
    expect(await cache.get("k", load)).toBe(1);
    write("other!a", "r!c"); // not a dependency
    expect(await cache.get("k", load)).toBe(1);
    write("r!b");
    expect(await cache.get("k", load)).toBe(2);
    ee.emit("clear");
    expect(await cache.get("k", load)).toBe(3);
  });

  it("does not keep a value whose load overlapped a watched write", async () => {
    const { ee, write } = announcer();
    const cache = new WriteWatchedCache<string>(ee, depsOf);
    const stale = await cache.get("k", async () => {
      write("r!x"); // committed while the old value was being read
      return { value: "old", deps: ["k"] };
    });
    expect(stale).toBe("old");
    expect(await cache.get("k", async () => ({ value: "new", deps: ["k"] }))).toBe("new");
    expect(cache.size).toBe(1);
  });

  it("does not keep a value its loader marks keep: false", async () => {
    const { ee } = announcer();
    const cache = new WriteWatchedCache<string>(ee, depsOf);
    let loads = 0;
    const load = async () => ({ value: `v${++loads}`, deps: ["k"], keep: false });
    expect(await cache.get("k", load)).toBe("v1");
    expect(await cache.get("k", load)).toBe("v2");
    expect(cache.size).toBe(0);
  });

  it("holds at most maxEntries values, dropping the oldest", async () => {
    const { ee, write } = announcer();
    const cache = new WriteWatchedCache<string>(ee, depsOf, 2);
    for (const k of ["a", "b", "c"]) await cache.get(k, async () => ({ value: k, deps: [k] }));
    expect(cache.size).toBe(2);
    expect(await cache.get("a", async () => ({ value: "a2", deps: ["a"] }))).toBe("a2");
    write("r!c");
    expect(await cache.get("c", async () => ({ value: "c2", deps: ["c"] }))).toBe("c2");
  });
});
