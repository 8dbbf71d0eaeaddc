// The HTTP routes through Fastify inject(): GET /v1/challenges, POST /v1/verify for credentials
// and presentations (nonces single-use and expiring), coded 400s for malformed requests.
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createChallengeStore,
  verifierRoutes,
  VerifierError,
  VERIFIER_ERROR_CODES,
  VERIFIER_ERROR_STATUS,
} from "../src/index.js";
import { corpus, corpusFetcher } from "./corpus-context.js";
import { keyFromSeed, signJwt } from "./fixtures.js";

const AUD = "https://verifier.meritlog.test";
let clock = Date.parse(corpus.now);
const challenges = createChallengeStore({
  audience: AUD,
  ttlMs: 60_000,
  maxOutstanding: 100,
  now: () => clock,
});
let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  // What the server's problem+json handler does, in brief.
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof VerifierError)
      return reply
        .code(err.status)
        .type("application/problem+json")
        .send({ code: err.code, detail: err.message });
    return reply.code((err as { statusCode?: number }).statusCode ?? 500).send({ code: "other" });
  });
  await app.register(verifierRoutes, {
    trust: async () => corpus.trust,
    fetcher: corpusFetcher(),
    challenges,
    now: () => new Date(clock),
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

const learner = keyFromSeed("learner");
const validCase = corpus.cases.find((c) => c.desc === "valid MicroCredential with receipt")!;
const vp = (nonce: string, aud = AUD) =>
  signJwt(
    { alg: "EdDSA", kid: learner.kid, typ: "JWT" },
    {
      iss: learner.did,
      aud,
      nonce,
      vp: { type: ["VerifiablePresentation"], verifiableCredential: [validCase.jwt] },
    },
    learner,
  );

describe("/v1/verify and /v1/challenges", () => {
  it("verifies a credential with its receipt: 200 valid", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/verify",
      payload: { credential: validCase.jwt, receipt: validCase.receipt },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      verdict: "valid",
      kind: "credential",
      checks: { anchoring: { code: "anchoring.verified", leafIndex: validCase.receipt!.leafIndex } },
    });
  });

  it("a bad credential is a 200 report with verdict invalid", async () => {
    const res = await app.inject({ method: "POST", url: "/v1/verify", payload: { credential: "not.a.jwt" } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ verdict: "invalid", checks: { signature: { ok: false } } });
  });

  it.each([
    [{}, "empty body"],
    [{ credential: 42 }, "credential not a string"],
    [{ credential: "a.b.c", extra: 1 }, "unknown member"],
    [{ presentation: "a.b.c" }, "presentation without nonce"],
    [{ credential: "a.b.c", receipt: { origin: 1 } }, "malformed receipt"],
  ] as [object, string][])("malformed request %j (%s) is a coded 400", async (payload, _why) => {
    const res = await app.inject({ method: "POST", url: "/v1/verify", payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "verify.request_invalid" });
  });

  it("a challenge verifies once; the replay and an expired nonce are invalid", async () => {
    const ch = (await app.inject({ method: "GET", url: "/v1/challenges" })).json() as {
      nonce: string;
      audience: string;
      expiresAt: string;
    };
    expect(ch.audience).toBe(AUD);
    expect(Date.parse(ch.expiresAt)).toBe(clock + 60_000);
    const body = { presentation: vp(ch.nonce), nonce: ch.nonce, audience: AUD };
    const first = (await app.inject({ method: "POST", url: "/v1/verify", payload: body })).json();
    expect(first).toMatchObject({
      verdict: "valid",
      kind: "presentation",
      checks: { holder: { code: "holder.bound" } },
    });
    const again = (await app.inject({ method: "POST", url: "/v1/verify", payload: body })).json();
    expect(again).toMatchObject({
      verdict: "invalid",
      checks: { holder: { code: "holder.nonce_replayed" } },
    });

    const ch2 = (await app.inject({ method: "GET", url: "/v1/challenges" })).json() as { nonce: string };
    clock += 61_000;
    try {
      const late = (
        await app.inject({
          method: "POST",
          url: "/v1/verify",
          payload: { presentation: vp(ch2.nonce), nonce: ch2.nonce, audience: AUD },
        })
      ).json();
      expect(late).toMatchObject({
        verdict: "invalid",
        checks: { holder: { code: "holder.nonce_expired" } },
      });
    } finally {
      clock -= 61_000;
    }
    const stranger = (
      await app.inject({
        method: "POST",
        url: "/v1/verify",
        payload: { presentation: vp("made-up"), nonce: "made-up", audience: AUD },
      })
    ).json();
    expect(stranger).toMatchObject({
      verdict: "invalid",
      checks: { holder: { code: "holder.nonce_unknown" } },
    });
  });

  it("the store stays bounded", () => {
    for (let i = 0; i < 1000; i++) challenges.issue();
    expect(challenges.size).toBeLessThanOrEqual(101);
  });

  it("reads the trust material once per trustTtlMs, not once per request", async () => {
    let calls = 0;
    const a = Fastify();
    await a.register(verifierRoutes, {
      trust: () => (calls++, corpus.trust),
      challenges,
      now: () => new Date(clock),
      trustTtlMs: 60_000,
    });
    for (let i = 0; i < 5; i++)
      await a.inject({ method: "POST", url: "/v1/verify", payload: { credential: validCase.jwt } });
    expect(calls).toBe(1);
    await a.close();
  });

  it("every error code has an HTTP status", () => {
    for (const c of VERIFIER_ERROR_CODES) expect(VERIFIER_ERROR_STATUS[c]).toBeGreaterThanOrEqual(400);
  });
});
