// Issue 13: credentials from other issuers, made by `jose`, through the running service and through
// the guarded fetcher. EdDSA, ES256, ES384 and RS256 VC-JWTs (typ vc+jwt, cty vc) from did:jwk and
// P-256 did:key issuers through POST /v1/verify; an RS256 credential whose https kid names a key of
// the issuer's JWK Set, and an ES384 credential from a did:web issuer, both fetched over local https
// by the guarded fetcher (loopback reachable only through its test-only option).
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedFetch, guardedFetcher } from "@meritlog/verifier";
import { verifyCredential } from "@meritlog/verifier/core";
import { nobleEd25519 } from "@meritlog/verifier/core";
import { call, startServer, type RunningServer } from "./helpers/server.js";

type Alg = "EdDSA" | "ES256" | "ES384" | "RS256";
type Report = { verdict: string; checks: Record<string, { ok: unknown; code: string; alg?: string }> };

async function keyPair(alg: Alg): Promise<{ jwk: JWK; privateKey: CryptoKey }> {
  const p = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === "RS256" ? { modulusLength: 2048 } : {}),
  });
  return { jwk: await exportJWK(p.publicKey), privateKey: p.privateKey };
}

function credential(issuer: string): Record<string, unknown> {
  return {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    type: ["VerifiableCredential"],
    issuer,
    iss: issuer,
    validFrom: "2026-01-01T00:00:00Z",
    credentialSubject: { id: "did:example:learner", name: "Mapped hazards with the community" },
  };
}

async function sign(alg: Alg, kid: string, privateKey: CryptoKey, payload: Record<string, unknown>) {
  return await new SignJWT(payload)
    .setProtectedHeader({ alg, kid, typ: "vc+jwt", cty: "vc" })
    .sign(privateKey);
}

let server: RunningServer;
let dir = "";
let https: Server;
let port = 0;
const served: Record<string, unknown> = {};

beforeAll(async () => {
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), "meritlog-jose-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=issuer.test",
      "-addext",
      "subjectAltName=DNS:issuer.test",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  https = createServer(
    { cert: readFileSync(join(dir, "cert.pem")), key: readFileSync(join(dir, "key.pem")) },
    (req, res) => {
      const body = served[req.url ?? ""];
      if (body === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    },
  );
  await new Promise<void>((r) => https.listen(0, "127.0.0.1", r));
  port = (https.address() as AddressInfo).port;
});
afterAll(async () => {
  await server?.close();
  await new Promise((r) => https?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe("POST /v1/verify: VC-JWTs made by jose", () => {
  for (const alg of ["EdDSA", "ES256", "ES384", "RS256"] as const) {
    it(`${alg} from a did:jwk issuer verifies; the same token relabelled HS256 does not`, async () => {
      const { jwk, privateKey } = await keyPair(alg);
      const did = `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString("base64url")}`;
      const jwt = await sign(alg, `${did}#0`, privateKey, credential(did));
      const r = await call(server.url, "POST", "/v1/verify", { body: { credential: jwt } });
      expect(r.status, r.text).toBe(200);
      const report = r.body as Report;
      expect(report.checks.signature).toMatchObject({ ok: true, code: "signature.valid", alg });
      expect(report.verdict).toBe("valid-with-warnings");
      // HMAC keyed with the issuer's public JWK text: refused at the header.
      const h = Buffer.from(JSON.stringify({ alg: "HS256", kid: `${did}#0` })).toString("base64url");
      const input = `${h}.${jwt.split(".")[1]}`;
      const hs = `${input}.${createHmac("sha256", JSON.stringify(jwk)).update(input).digest("base64url")}`;
      const bad = (await call(server.url, "POST", "/v1/verify", { body: { credential: hs } })).body as Report;
      expect(bad.verdict).toBe("invalid");
      expect(bad.checks.signature!.code).toBe("signature.alg_not_allowed");
    });
  }
});

describe("keys fetched over https by the guarded fetcher", () => {
  const ctx = () => ({
    now: new Date("2026-06-01T12:00:00Z"),
    ed25519: nobleEd25519,
    trust: { issuers: [], logKeys: [] },
    fetcher: guardedFetcher(
      createGuardedFetch({
        resolve: async () => [{ address: "127.0.0.1", family: 4 as const }],
        ca: readFileSync(join(dir, "cert.pem"), "utf8"),
        allowLoopbackForTests: true,
      }),
      {},
      () => false,
    ),
  });
  it("an https kid on the issuer's origin names an RS256 key of its JWK Set", async () => {
    const { jwk, privateKey } = await keyPair("RS256");
    served["/keys.json"] = { keys: [{ ...jwk, kid: "2026", use: "sig", alg: "RS256" }] };
    const iss = `https://issuer.test:${port}`;
    const jwt = await sign("RS256", `${iss}/keys.json#2026`, privateKey, credential(iss));
    const r = await verifyCredential(jwt, undefined, ctx());
    expect(r.checks.signature, JSON.stringify(r.checks.signature)).toMatchObject({
      ok: true,
      alg: "RS256",
      kid: `${iss}/keys.json#2026`,
    });
  });
  it("a did:web issuer's ES384 key from its DID document", async () => {
    const { jwk, privateKey } = await keyPair("ES384");
    const did = `did:web:issuer.test%3A${port}`;
    served["/.well-known/did.json"] = {
      id: did,
      verificationMethod: [{ id: `${did}#k`, type: "JsonWebKey", controller: did, publicKeyJwk: jwk }],
    };
    const jwt = await sign("ES384", `${did}#k`, privateKey, credential(did));
    const r = await verifyCredential(jwt, undefined, ctx());
    expect(r.checks.signature, JSON.stringify(r.checks.signature)).toMatchObject({ ok: true, alg: "ES384" });
  });
});
