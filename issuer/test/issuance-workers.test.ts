import { createHash, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyReceipt } from "@meritlog/ledger/verify";
import { decodeJwt, holderDid, microCredential, verifyJwtWithDidKey } from "./helpers.js";
import { openFixture } from "./fixture.js";
import type { Worker } from "node:worker_threads";
import { IssuanceWorkers } from "../src/issuance-workers.js";

let f: Awaited<ReturnType<typeof openFixture>>;
const holder = holderDid();

beforeAll(async () => {
  f = await openFixture({ issuanceWorkers: 1 });
});
afterAll(async () => await f.dispose());

describe("issuance in worker threads", () => {
  it("produces the same kind of credential as the main-thread path", async () => {
    const issuer = await f.service.createIssuer({ name: "Worker Academy" });
    const r = await f.service.issue(issuer.id, microCredential(holder));
    expect(verifyJwtWithDidKey(r.jwt, issuer.did)).toBe(true);
    const { header, payload } = decodeJwt(r.jwt);
    expect(header).toEqual({ alg: "EdDSA", kid: `${issuer.did}#${issuer.did.slice(8)}`, typ: "JWT" });
    expect(payload).toMatchObject({ iss: issuer.did, sub: holder, jti: r.id });
    expect((payload.credentialStatus as { statusListIndex: string }).statusListIndex).toBe(
      r.status.statusListIndex,
    );
    expect(JSON.parse(r.receipt.entry).digest).toBe(createHash("sha256").update(r.jwt).digest("hex"));
    expect(verifyReceipt(r.receipt, f.log.verifierKey).ok).toBe(true);
    expect((await f.service.getRecord(r.id, issuer.id)).type).toBe("MicroCredential");
  });

  it("passes coded errors through and consumes no status index for them", async () => {
    const issuer = await f.service.createIssuer({ name: "Worker Academy 2" });
    const bad = microCredential(holder, {
      achievement: { name: "Certified Hand-Pump Technician", description: "d", criteria: { narrative: "n" } },
    });
    await expect(f.service.issue(issuer.id, bad)).rejects.toMatchObject({
      name: "SchemaError",
      code: expect.stringMatching(/^claims\./),
      status: 422,
    });
    await expect(f.service.issue(issuer.id, { ...microCredential(holder), colour: 1 })).rejects.toMatchObject(
      { code: "schema.invalid", status: 400 },
    );
    const many = await Promise.all(
      Array.from({ length: 20 }, () => f.service.issue(issuer.id, microCredential(holder))),
    );
    expect(new Set(many.map((r) => r.status.statusListIndex)).size).toBe(20);
  });
});

describe("IssuanceWorkers pool", () => {
  it("starts no thread until the first job, and none after close", async () => {
    const pool = new IssuanceWorkers(2);
    expect(pool.threads).toBe(0);
    await pool.close();
    const ctx = {
      id: "urn:uuid:x",
      issuer: { id: "did:key:z", name: "n" },
      validFrom: "2026-01-01T00:00:00Z",
    };
    await expect(pool.run({}, ctx, "k", () => new Uint8Array(0))).rejects.toThrow(
      /no issuance workers|closed/,
    );
    expect(pool.threads).toBe(0);
  });

  it("starts its threads with the first job and replaces one that died", async () => {
    const pool = new IssuanceWorkers(1);
    const ctx = {
      id: "urn:uuid:x",
      issuer: { id: "did:key:z", name: "n" },
      validFrom: "2026-01-01T00:00:00Z",
    };
    const key = generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" });
    // An invalid body: the worker answers with a coded schema error.
    await expect(pool.run({}, ctx, "k", () => new Uint8Array(key))).rejects.toMatchObject({
      name: "SchemaError",
    });
    expect(pool.threads).toBe(1);

    // The thread dies (as on a crash): the next job gets a new one instead of failing until a restart.
    const slots = (pool as unknown as { workers: { w: Worker }[] }).workers;
    const first = slots[0]!.w;
    const exited = new Promise((r) => first.once("exit", r));
    await first.terminate();
    await exited;
    await new Promise((r) => setTimeout(r, 1000)); // a dead thread is replaced at most once a second
    await expect(pool.run({}, ctx, "k", () => new Uint8Array(key))).rejects.toMatchObject({
      name: "SchemaError",
    });
    expect(slots[0]!.w).not.toBe(first);
    expect(pool.threads).toBe(1);
    await pool.close();
  });
});
