// Co-authored MPUs on PostgreSQL (issue 14): registered and signed through two nodes that share
// one database; the last signature's offers (records with their fixed ids and bound holders) are
// read and redeemed through the other node, and every credential verifies with coAuthorship
// 3 of 3, its `cosign` entries read from the shared log.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestSchema } from "@meritlog/postgres";
import { call, makeIssuer, startServerPair, type RunningServer, type ServerPair } from "./helpers/server.js";
import { newHolder, type Holder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";

let pair: ServerPair | undefined;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  pair = await startServerPair(await createTestSchema(), { logOrigin: "pgmpu.test/log" });
  ({ a, b } = pair);
}, 60_000);
afterAll(async () => await pair?.close());

const sign = (h: Holder, payload: Record<string, unknown>) =>
  h.signJwt({ alg: "EdDSA", kid: h.kid }, payload);

type Answer = { status: number; body: Record<string, unknown> };

/** OpenID4VCI redemption of an offer URI at `base`: one access token, a key proof by each of `keys` in turn. */
async function redeem(base: string, offerUri: string, keys: Holder[]): Promise<Answer[]> {
  const offerUrl = new URLSearchParams(offerUri.split("?")[1]).get("credential_offer_uri")!;
  const secret = offerUrl.split("/oid4vci/offers/")[1]!;
  const offer = (await call(base, "GET", `/oid4vci/offers/${secret}`)).body as {
    grants: Record<string, { "pre-authorized_code": string }>;
  };
  const token = (
    await call(base, "POST", "/oid4vci/token", {
      body: {
        grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code",
        "pre-authorized_code": Object.values(offer.grants)[0]!["pre-authorized_code"],
      },
    })
  ).body as { access_token: string; c_nonce: string };
  const out: Answer[] = [];
  for (const h of keys) {
    const proof = h.signJwt(
      { typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: h.kid },
      { aud: base, iat: Math.floor(Date.now() / 1000), nonce: token.c_nonce },
    );
    const res = await fetch(`${base}/oid4vci/credential`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ credential_configuration_id: "MPUAuthorship", proofs: { jwt: [proof] } }),
    });
    out.push({ status: res.status, body: (await res.json()) as Record<string, unknown> });
  }
  return out;
}

it("signed through two nodes, offered once to each author, redeemed and verified through the other", async () => {
  const issuer = await makeIssuer(a.url, "Shared Academy");
  // Node b learns of the issuer made through a within its registry refresh (2 s).
  await expect
    .poll(async () => (await call(b.url, "GET", "/v1/issuers")).text.includes(issuer.did), {
      timeout: 10_000,
      interval: 500,
    })
    .toBe(true);
  const authors = [newHolder(), newHolder(), newHolder()];
  const { mpuAuthorship } = apiExamples(authors[0]!.did);
  const { type: _t, subject: _s, ...rest } = mpuAuthorship;
  const reg = (
    await call(a.url, "POST", "/v1/mpus", {
      token: issuer.token,
      body: {
        ...rest,
        mpu: {
          ...(rest.mpu as Record<string, unknown>),
          authors: authors.map((h, i) => ({ id: h.did, role: i === 0 ? "lead author" : "co-author" })),
        },
      },
    })
  ).body as {
    id: string;
    statement: Record<string, unknown>;
    signLinks: { author: string; walletLink: string }[];
  };
  const keyOf = (h: Holder) =>
    new URLSearchParams(reg.signLinks.find((l) => l.author === h.did)!.walletLink.split("#")[1]).get("key")!;
  for (const [h, node] of [
    [authors[0]!, a],
    [authors[1]!, b],
    [authors[2]!, b],
  ] as const) {
    const r = await call(node.url, "POST", `/v1/mpus/${reg.id}/signatures`, {
      body: { jws: sign(h, reg.statement) },
    });
    expect(r.status, r.text).toBe(201);
  }
  const own = (await call(a.url, "GET", `/v1/mpus/${reg.id}`, { token: issuer.token })).body as {
    state: string;
    offers: Record<string, string>;
  };
  expect(own.state).toBe("issued");
  expect(Object.keys(own.offers)).toEqual(authors.map((h) => h.did));
  const listed = (await call(b.url, "GET", "/v1/offers?limit=100", { token: issuer.token })).body as {
    items: { id: string }[];
  };
  expect(listed.items.map((o) => o.id).sort()).toEqual(Object.values(own.offers).sort());
  for (const h of authors) {
    const view = (await call(a.url, "GET", `/v1/mpus/${reg.id}?key=${keyOf(h)}`)).body as {
      offer: { id: string; offerUri: string };
    };
    expect(view.offer.id).toBe(own.offers[h.did]);
    // Redeemed (and verified) at b: in this test each node has its own public URL, and a
    // credential names the status list of the node that issued it.
    // Bound on PostgreSQL too: another key is refused and spends nothing; the author's own is issued.
    const [stolen, got] = await redeem(b.url, view.offer.offerUri, [newHolder(), h]);
    expect(stolen!.body.error).toBe("invalid_proof");
    expect(got!.status, JSON.stringify(got!.body)).toBe(200);
    const report = (await call(b.url, "POST", "/v1/verify", { body: { credential: got!.body.credential } }))
      .body as {
      verdict: string;
      checks: { coAuthorship: { ok: unknown; signed: number; of: number; entries: string } };
    };
    expect(report.verdict, JSON.stringify(report.checks)).toBe("valid");
    expect(report.checks.coAuthorship).toMatchObject({ ok: true, signed: 3, of: 3, entries: "verified" });
  }
  const done = (await call(b.url, "GET", `/v1/mpus/${reg.id}`, { token: issuer.token })).body as {
    credentials: Record<string, string>;
  };
  expect(Object.keys(done.credentials).sort()).toEqual(authors.map((h) => h.did).sort());
});
