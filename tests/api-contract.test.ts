// The HTTP contract of docs/API.md, exercised over a real port against the composition root.
// Every request body quoted in API.md is sent exactly as written (with a real did:key subject).
import { createHash, verify as edVerify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyReceipt, type Receipt } from "@meritlog/ledger/verify";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder, publicKeyFromDidKey } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";

const holder = newHolder();
const { microCredential, attribution, mpuAuthorship } = apiExamples(holder.did);

type Problem = { type: string; title: string; status: number; detail: string; code: string };
type Issued = {
  id: string;
  jwt: string;
  receipt: Receipt;
  status: { state: string; statusListCredential: string; statusListIndex: string | number };
};

let server: RunningServer;
let issuer: { id: string; did: string; name: string; token: string };
let verifierKey: string;

function expectProblem(
  res: { status: number; headers: Headers; body: unknown },
  status: number,
  codePrefix: string,
): Problem {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const p = res.body as Problem;
  expect(p.status).toBe(status);
  expect(p.code.startsWith(codePrefix), `code ${p.code} starts with ${codePrefix}`).toBe(true);
  expect(typeof p.type).toBe("string");
  expect(typeof p.title).toBe("string");
  expect(typeof p.detail).toBe("string");
  expect(JSON.stringify(p)).not.toMatch(/at .*\.(ts|js):\d+/); // never a stack trace
  return p;
}

beforeAll(async () => {
  server = await startServer();
  const res = await call(server.url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Kaduna Repair Academy", url: "https://academy.example" },
  });
  expect(res.status).toBe(201);
  issuer = res.body as typeof issuer;
  const key = await call(server.url, "GET", "/v1/log/key");
  verifierKey = (key.body as { verifierKey: string }).verifierKey;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("issuers", () => {
  it("creates an issuer with a did:key and a one-time token", () => {
    expect(issuer.did).toMatch(/^did:key:z6Mk/);
    expect(issuer.token.length).toBeGreaterThan(20);
    expect(issuer.name).toBe("Kaduna Repair Academy");
  });

  it("lists the public registry without tokens", async () => {
    const res = await call(server.url, "GET", "/v1/issuers");
    expect(res.status).toBe(200);
    const list = res.body as Array<Record<string, unknown>>;
    const mine = list.find((i) => i.did === issuer.did);
    expect(mine).toMatchObject({ id: issuer.id, did: issuer.did, name: "Kaduna Repair Academy" });
    expect(JSON.stringify(list)).not.toContain(issuer.token);
  });

  it("needs the admin token", async () => {
    expectProblem(await call(server.url, "POST", "/v1/issuers", { body: { name: "x" } }), 401, "auth.");
    expectProblem(
      await call(server.url, "POST", "/v1/issuers", { token: "wrong", body: { name: "x" } }),
      401,
      "auth.",
    );
    expectProblem(
      await call(server.url, "POST", "/v1/issuers", { token: issuer.token, body: { name: "x" } }),
      403,
      "auth.",
    );
  });
});

describe("issuance of the API.md examples", () => {
  for (const [label, body] of [
    ["MicroCredential", microCredential()],
    ["Attribution", attribution],
    ["MPUAuthorship", mpuAuthorship],
  ] as const) {
    it(`issues ${label} with a receipt that verifies offline`, async () => {
      const res = await call(server.url, "POST", "/v1/credentials", { token: issuer.token, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const out = res.body as Issued;
      expect(out.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(out.status.state).toBe("active");
      expect(out.status.statusListCredential).toContain("/v1/status/");

      // The JWT verifies with the issuer's did:key, derived independently.
      const [h, p, s] = out.jwt.split(".") as [string, string, string];
      const header = JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, unknown>;
      const payload = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
      expect(header.alg).toBe("EdDSA");
      expect(Object.keys(header).every((k) => ["alg", "kid", "typ", "jwk"].includes(k))).toBe(true);
      expect(
        edVerify(
          null,
          Buffer.from(`${h}.${p}`),
          publicKeyFromDidKey(issuer.did),
          Buffer.from(s, "base64url"),
        ),
      ).toBe(true);
      expect(payload.iss).toBe(issuer.did);
      expect(payload.sub).toBe(holder.did);
      expect(payload.jti).toBe(out.id);

      // The receipt: the entry names this JWT's digest, never the holder, and the proof holds.
      const entry = JSON.parse(out.receipt.entry) as Record<string, unknown>;
      // Authorship and attribution entries name the artifact they are about (version 2, issue 14).
      const artifact =
        label === "MicroCredential"
          ? undefined
          : Buffer.from("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "base64").toString("hex");
      expect(entry).toMatchObject({
        kind: "issue",
        credentialId: out.id,
        issuer: issuer.did,
        v: artifact ? 2 : 1,
      });
      expect(entry.artifact).toBe(artifact);
      expect(entry.digest).toBe(createHash("sha256").update(out.jwt).digest("hex"));
      expect(out.receipt.entry).not.toContain(holder.did);
      const check = verifyReceipt(out.receipt, verifierKey);
      expect(check.ok, JSON.stringify(check)).toBe(true);
    });
  }

  it("refuses a name that implies certification with 422 claims.*", async () => {
    const res = await call(server.url, "POST", "/v1/credentials", {
      token: issuer.token,
      body: microCredential("Certified Hand-Pump Technician"),
    });
    expectProblem(res, 422, "claims.");
  });

  it("refuses unknown fields and malformed bodies with coded problems", async () => {
    // A price is refused either as an unknown field (400) or by the non-financial rule (422).
    const priced = await call(server.url, "POST", "/v1/credentials", {
      token: issuer.token,
      body: { ...attribution, price: 10 },
    });
    expect([400, 422]).toContain(priced.status);
    expect((priced.body as Problem).code).toMatch(/^(schema\.invalid|claims\.financial_field)$/);
    const bad = await call(server.url, "POST", "/v1/credentials", { token: issuer.token, raw: "{not json" });
    expectProblem(bad, 400, "http.bad_json");
    const big = await call(server.url, "POST", "/v1/credentials", {
      token: issuer.token,
      raw: JSON.stringify({ ...attribution, pad: "x".repeat(2_000_000) }),
    });
    expectProblem(big, 413, "http.body_too_large");
    expectProblem(await call(server.url, "POST", "/v1/credentials", { body: attribution }), 401, "auth.");
  });
});

describe("lifecycle and verification", () => {
  it("verifies, suspends, reinstates, revokes, and refuses to reinstate a revoked credential", async () => {
    const issued = (
      await call(server.url, "POST", "/v1/credentials", { token: issuer.token, body: microCredential() })
    ).body as Issued;
    const v1 = await call(server.url, "POST", "/v1/verify", {
      body: { credential: issued.jwt, receipt: issued.receipt },
    });
    expect(v1.status).toBe(200);
    const r1 = v1.body as {
      verdict: string;
      checks: Record<string, { ok: unknown; code: string; state?: string; notice?: string }>;
    };
    expect(r1.verdict, JSON.stringify(r1.checks)).toBe("valid");
    expect(r1.checks.status?.state).toBe("active");
    expect(r1.checks.noConversion?.notice).toMatch(/certification/i);

    const path = `/v1/credentials/${encodeURIComponent(issued.id)}/status`;
    const s = await call(server.url, "POST", path, {
      token: issuer.token,
      body: { action: "suspend", reason: "under-review" },
    });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(verifyReceipt((s.body as { receipt: Receipt }).receipt, verifierKey).ok).toBe(true);
    const v2 = (await call(server.url, "POST", "/v1/verify", { body: { credential: issued.jwt } }))
      .body as typeof r1;
    expect(v2.checks.status?.state).toBe("suspended");
    expect(v2.verdict).not.toBe("valid");

    expect(
      (
        await call(server.url, "POST", path, {
          token: issuer.token,
          body: { action: "reinstate", reason: "other", note: "review passed" },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call(server.url, "POST", path, {
          token: issuer.token,
          body: { action: "revoke", reason: "issued-in-error" },
        })
      ).status,
    ).toBe(200);
    const v3 = (await call(server.url, "POST", "/v1/verify", { body: { credential: issued.jwt } }))
      .body as typeof r1;
    expect(v3.checks.status?.state).toBe("revoked");
    expect(v3.verdict).toBe("invalid");
    expectProblem(
      await call(server.url, "POST", path, {
        token: issuer.token,
        body: { action: "reinstate", reason: "other", note: "no" },
      }),
      409,
      "credential.",
    );

    const record = await call(server.url, "GET", `/v1/credentials/${encodeURIComponent(issued.id)}`, {
      token: issuer.token,
    });
    expect(record.status).toBe(200);
    expect(JSON.stringify(record.body)).toContain("revoke");
  });

  it("answers a malformed verify request with 400 and a bad credential with an invalid report", async () => {
    expectProblem(await call(server.url, "POST", "/v1/verify", { body: { nothing: true } }), 400, "");
    const r = await call(server.url, "POST", "/v1/verify", { body: { credential: "e30.e30.AAAA" } });
    expect(r.status).toBe(200);
    expect((r.body as { verdict: string }).verdict).toBe("invalid");
  });
});

describe("artifact anchors", () => {
  it("anchors a digest with a receipt whose entry carries no note, and refuses personal data in notes", async () => {
    const digest = createHash("sha256").update("rainfall-2026.csv contents").digest("hex");
    const res = await call(server.url, "POST", "/v1/anchors", {
      token: issuer.token,
      body: { digest, mediaType: "text/csv", note: "wet season upload" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const receipt = (res.body as { receipt: Receipt }).receipt;
    expect(verifyReceipt(receipt, verifierKey).ok).toBe(true);
    expect(JSON.parse(receipt.entry)).toMatchObject({ kind: "anchor", digest, issuer: issuer.did, v: 1 });
    expect(receipt.entry).not.toContain("wet season");
    const pii = await call(server.url, "POST", "/v1/anchors", {
      token: issuer.token,
      body: { digest, note: "ask amina@example.org" },
    });
    expect(expectProblem(pii, 400, "schema.invalid")).toMatchObject({ path: "note" });
    expectProblem(await call(server.url, "POST", "/v1/anchors", { body: { digest } }), 401, "auth.");
  });
});

describe("log, docs and static pages", () => {
  it("serves a signed checkpoint, tiles and proofs", async () => {
    const cp = await call(server.url, "GET", "/log/checkpoint");
    expect(cp.status).toBe(200);
    expect(cp.headers.get("content-type")).toMatch(/^text\/plain/);
    const [origin, size] = cp.text.split("\n");
    expect(origin).toBe(server.config.logOrigin);
    const n = Number(size);
    expect(n).toBeGreaterThan(3);
    expect((await call(server.url, "GET", "/log/tile/0/000.p/" + Math.min(n, 255))).status).toBe(200);
    const cons = await call(server.url, "GET", `/v1/log/proof/consistency?first=1&second=${n}`);
    expect(cons.status).toBe(200);
    const outOfRange = await call(server.url, "GET", `/v1/log/proof/inclusion?leafIndex=${n}&treeSize=${n}`);
    expectProblem(outOfRange, outOfRange.status === 404 ? 404 : 400, "log.");
    const malformed = await call(server.url, "GET", "/log/tile/0/abc");
    expectProblem(malformed, malformed.status === 404 ? 404 : 400, "");
  });

  it("answers unknown routes with problem+json 404", async () => {
    expectProblem(await call(server.url, "GET", "/no/such/thing"), 404, "http.not_found");
  });

  it("publishes the OpenAPI document, the wallet and the verify page", async () => {
    const o = await call(server.url, "GET", "/openapi.json");
    expect(o.status).toBe(200);
    const paths = (
      o.body as { paths: Record<string, Record<string, { requestBody?: unknown; security?: unknown }>> }
    ).paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(["/v1/credentials", "/v1/verify", "/v1/issuers"]),
    );
    expect(paths["/v1/credentials"]!.post!.requestBody).toBeDefined();
    expect(paths["/v1/credentials"]!.post!.security).toEqual([{ bearer: [] }]);
    expect(paths["/v1/verify"]!.post!.requestBody).toBeDefined();
    expect(paths["/v1/verify"]!.post!.security).toBeUndefined();
    const w = await call(server.url, "GET", "/wallet/");
    expect(w.status).toBe(200);
    expect(w.text).toMatch(/<html/i);
    const v = await call(server.url, "GET", "/verify");
    expect(v.status).toBe(200);
    expect(v.text).toMatch(/<html/i);
  });
});
