// Issue 10, the cold path: credential JWTs not seen lately are decoded on worker threads
// (node-decode-pool.ts) and the decoding kept in the verifier cache. The pool must never change a
// report: every corpus credential, verified after the pool kept its decoding, gives exactly the
// report of a verifier whose cache keeps no credentials.
import Fastify from "fastify";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createVerifierCache, verifyCredential } from "../src/core/index.js";
import { createChallengeStore, verifierRoutes } from "../src/index.js";
import { DecodePool } from "../src/node-decode-pool.js";
import { createNodeEd25519, nodeSha256 } from "../src/node-ed25519.js";
import { corpus, corpusContext, corpusFetcher } from "./corpus-context.js";

const credentials = corpus.cases.filter((c) => c.kind === "credential");
const pools: DecodePool[] = [];
afterAll(async () => await Promise.all(pools.map((p) => p.close())));

describe("the decode pool never changes a report", () => {
  it("every corpus credential, decoded by a worker thread, equals the report without the memo", async () => {
    const ctx = corpusContext(createNodeEd25519(), { sha256: nodeSha256 });
    const pool = new DecodePool(2, ctx.cache!);
    pools.push(pool);
    await pool.online();
    let kept = 0;
    for (const c of credentials) {
      const before = ctx.cache!.credentials.size;
      await pool.keep(c.jwt);
      if (ctx.cache!.credentials.size > before) kept++;
      const fresh = corpusContext(createNodeEd25519(), { sha256: nodeSha256 });
      fresh.cache = createVerifierCache(1000, { credentials: 0 });
      const want = await verifyCredential(c.jwt, c.receipt, fresh);
      const got = await verifyCredential(c.jwt, c.receipt, ctx);
      expect(JSON.parse(JSON.stringify(got)), c.desc).toEqual(JSON.parse(JSON.stringify(want)));
    }
    // Most corpus credentials decode (the undecodable ones are left to the event loop).
    expect(kept).toBeGreaterThan(credentials.length / 2);
  });

  it("leaves the decoding to the event loop before its threads run and after they are closed", async () => {
    const ctx = corpusContext(createNodeEd25519());
    const pool = new DecodePool(1, ctx.cache!);
    pools.push(pool);
    await pool.keep(credentials[0]!.jwt); // starts the thread; not running yet
    expect(ctx.cache!.credentials.size).toBe(0);
    await pool.online();
    await pool.close();
    await pool.keep(credentials[0]!.jwt);
    expect(ctx.cache!.credentials.size).toBe(0);
  });
});

describe("POST /v1/verify with a decode pool", () => {
  it("answers every corpus credential as the route without one, requests overlapping", async () => {
    const keep = vi.spyOn(DecodePool.prototype, "keep");
    const route = async (decodeWorkers: number) => {
      const app = Fastify();
      const cache = createVerifierCache();
      await app.register(verifierRoutes, {
        trust: () => corpus.trust,
        fetcher: corpusFetcher(),
        challenges: createChallengeStore({ audience: "https://verifier.meritlog.test" }),
        now: () => new Date(corpus.now),
        skewSeconds: corpus.skewSeconds,
        cache,
        decodeWorkers,
      });
      return { app, cache };
    };
    const plain = await route(0);
    const pooled = await route(1);
    const ask = (app: typeof plain.app) =>
      Promise.all(
        credentials.map(async (c) => {
          const res = await app.inject({
            method: "POST",
            url: "/v1/verify",
            payload: c.receipt ? { credential: c.jwt, receipt: c.receipt } : { credential: c.jwt },
          });
          return res.body;
        }),
      );
    try {
      const want = await ask(plain.app);
      // Rounds with nothing kept, long enough for the thread to load (through tsx here) and serve.
      const until = Date.now() + 6000;
      for (let round = 0; round < 3 || Date.now() < until; round++) {
        pooled.cache.credentials.clear();
        const got = await ask(pooled.app);
        got.forEach((body, i) => expect(body, `${credentials[i]!.desc}, round ${round}`).toBe(want[i]));
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(keep).toHaveBeenCalled();
    } finally {
      keep.mockRestore();
      await Promise.all([plain.app.close(), pooled.app.close()]);
    }
  }, 30_000);
});
