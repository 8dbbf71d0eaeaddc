// SD-JWT (issue 15): `POST /v1/credentials?format=sd-jwt` adds a `vc+sd-jwt` form, anchored with
// its own entry; `POST /v1/verify` takes an SD-JWT presentation with a key-binding JWT and names
// what was withheld. The independent check is `@sd-jwt/sd-jwt-vc` verifying our output; the
// holder side is `@sd-jwt/core`'s presentation code with a node:crypto Ed25519 key.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, createPublicKey, sign, verify } from "node:crypto";
import { SDJwtInstance } from "@sd-jwt/core";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import { verifyReceipt } from "@meritlog/ledger/verify";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { apiExamples } from "./helpers/api-examples.js";
import type { Check } from "@meritlog/verifier";
import { expectSaidInEnglish } from "../verifier/test/said-in-english.js";
import { expectSaidInFrench } from "./helpers/said-in-french.js";
import { newHolder, publicKeyFromDidKey as didKeyPublic, type Holder } from "./helpers/did-key.js";

let server: RunningServer;
let token: string;
let issuerDid: string;
let logKey: string;

const hasher = (data: string | ArrayBuffer) =>
  new Uint8Array(
    createHash("sha256")
      .update(typeof data === "string" ? data : Buffer.from(data))
      .digest(),
  );
const holderTools = (h: Holder) =>
  new SDJwtInstance({
    hasher,
    kbSigner: (data: string) => sign(null, Buffer.from(data), h.privateKey).toString("base64url"),
    kbSignAlg: "EdDSA",
  });

async function issue(holder: Holder): Promise<{ sdJwt: string; receipt: unknown; id: string }> {
  const r = await call(server.url, "POST", "/v1/credentials?format=sd-jwt", {
    token,
    body: apiExamples(holder.did).microCredential(),
  });
  expect(r.status, r.text).toBe(201);
  const b = r.body as { id: string; sdJwt: { credential: string; receipt: unknown } };
  return { id: b.id, sdJwt: b.sdJwt.credential, receipt: b.sdJwt.receipt };
}

async function challenge(): Promise<{ nonce: string; audience: string }> {
  const { nonce, audience } = (await call(server.url, "GET", "/v1/challenges")).body as {
    nonce: string;
    audience: string;
  };
  return { nonce, audience };
}

async function present(
  holder: Holder,
  sdJwt: string,
  frame: Record<string, boolean | object>,
  c: { nonce: string; audience: string },
) {
  return await holderTools(holder).present(sdJwt, frame, {
    kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: c.audience, nonce: c.nonce } },
  });
}

async function verifyPresentation(presentation: string, c: { nonce: string; audience: string }) {
  const r = await call(server.url, "POST", "/v1/verify", { body: { presentation, ...c } });
  return r;
}

beforeAll(async () => {
  server = await startServer();
  const created = await call(server.url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Kaduna Repair Academy" },
  });
  token = (created.body as { token: string }).token;
  issuerDid = (created.body as { did: string }).did;
  logKey = ((await call(server.url, "GET", "/v1/log/key")).body as { verifierKey: string }).verifierKey;
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe("SD-JWT credentials", () => {
  it("issues a vc+sd-jwt that @sd-jwt/sd-jwt-vc verifies, with the chosen fields disclosable and its own anchored entry", async () => {
    const holder = newHolder();
    const { sdJwt, receipt, id } = await issue(holder);
    const [jwt, ...disclosures] = sdJwt.split("~");
    expect(sdJwt.endsWith("~")).toBe(true);
    expect(disclosures.filter(Boolean).length).toBeGreaterThanOrEqual(3); // description, narrative, evidence
    const header = JSON.parse(Buffer.from(jwt!.split(".")[0]!, "base64url").toString());
    expect(header).toMatchObject({ alg: "EdDSA", typ: "vc+sd-jwt" });
    const issuerKey = didKeyPublic(issuerDid);
    const independent = new SDJwtVcInstance({
      hasher,
      verifier: (data: string, sig: string) =>
        verify(null, Buffer.from(data), issuerKey, Buffer.from(sig, "base64url")),
    });
    const { payload } = await independent.verify(sdJwt);
    expect(payload).toMatchObject({ iss: issuerDid, jti: id, vct: "urn:meritlog:vct:MicroCredential" });
    const claims = payload as unknown as {
      credentialSubject: { achievement: { description?: string; criteria: { narrative?: string } } };
      evidence?: unknown[];
    };
    expect(claims.credentialSubject.achievement.description).toEqual(expect.any(String));
    expect(claims.credentialSubject.achievement.criteria.narrative).toEqual(expect.any(String));
    expect(claims.evidence?.length).toBeGreaterThan(0);
    // Without disclosures the issuer-signed JWT shows none of the disclosable fields.
    const bare = JSON.parse(Buffer.from(jwt!.split(".")[1]!, "base64url").toString());
    expect(bare.credentialSubject.achievement.description).toBeUndefined();
    // Nor the credential's own description, which repeats the achievement's.
    expect(bare.description).toBeUndefined();
    expect(bare.evidence).toBeUndefined();
    expect(bare.cnf.jwk).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    // Anchored: the entry's digest is SHA-256 of the issuer-signed JWT.
    expect(verifyReceipt(receipt as never, logKey).ok).toBe(true);
    const entry = JSON.parse((receipt as { entry: string }).entry);
    expect(entry).toMatchObject({
      kind: "issue",
      credentialId: id,
      digest: createHash("sha256").update(jwt!).digest("hex"),
    });
  });

  it("a presentation revealing only the name and scope verifies and says what was withheld; @sd-jwt/sd-jwt-vc agrees", async () => {
    const holder = newHolder();
    const { sdJwt } = await issue(holder);
    const c = await challenge();
    const presentation = await present(holder, sdJwt, {}, c);
    const r = await verifyPresentation(presentation, c);
    expect(r.status, r.text).toBe(200);
    const report = r.body as {
      verdict: string;
      checks: Record<string, { ok: unknown; code: string; withheld?: string[] }>;
      credential: Record<string, unknown>;
    };
    expect(report.verdict, JSON.stringify(report.checks)).not.toBe("invalid");
    expect(report.checks.holder).toMatchObject({ ok: true, code: "holder.key_binding_valid" });
    for (const name of ["signature", "holder", "disclosure"])
      expectSaidInEnglish(report.checks[name] as Check);
    expect(report.checks.disclosure!.withheld).toEqual([
      "credentialSubject.achievement.description",
      "credentialSubject.achievement.criteria.narrative",
      "evidence",
      "description",
    ]);
    expect(report.checks.status).toMatchObject({ ok: true });
    const subject = report.credential.credentialSubject as {
      achievement: { name: string; description?: string };
      scope: unknown;
    };
    expect(subject.achievement.name).toEqual(expect.any(String));
    expect(subject.scope).toBeDefined();
    expect(subject.achievement.description).toBeUndefined();
    const holderKey = createPublicKey(holder.privateKey);
    const independent = new SDJwtVcInstance({
      hasher,
      verifier: (data: string, sig: string) =>
        verify(null, Buffer.from(data), didKeyPublic(issuerDid), Buffer.from(sig, "base64url")),
      kbVerifier: (data: string, sig: string) =>
        verify(null, Buffer.from(data), holderKey, Buffer.from(sig, "base64url")),
    });
    await expect(independent.verify(presentation, { keyBindingNonce: c.nonce })).resolves.toMatchObject({
      kb: expect.anything(),
    });
    // Revealing a nested field (committed in credentialSubject.achievement's own `_sd`): only the rest is withheld.
    const c3 = await challenge();
    const nested = await verifyPresentation(
      await present(holder, sdJwt, { credentialSubject: { achievement: { description: true } } }, c3),
      c3,
    );
    const nestedReport = nested.body as {
      verdict: string;
      checks: { disclosure: { withheld: string[] } };
      credential: { credentialSubject: { achievement: { description?: string } } };
    };
    expect(nestedReport.verdict, JSON.stringify(nestedReport.checks)).not.toBe("invalid");
    expect(nestedReport.checks.disclosure.withheld).toEqual([
      "credentialSubject.achievement.criteria.narrative",
      "evidence",
      "description",
    ]);
    expect(nestedReport.credential.credentialSubject.achievement.description).toEqual(expect.any(String));
    // Revealing the evidence too: only description and narrative are withheld.
    const c2 = await challenge();
    const more = await verifyPresentation(await present(holder, sdJwt, { evidence: true }, c2), c2);
    expect(
      (more.body as { checks: { disclosure: { withheld: string[] } } }).checks.disclosure.withheld,
    ).toEqual([
      "credentialSubject.achievement.description",
      "credentialSubject.achievement.criteria.narrative",
      "description",
    ]);
  });

  it("refuses a forged disclosure, a missing key binding, a replayed key binding and another credential's disclosure", async () => {
    const holder = newHolder();
    const { sdJwt } = await issue(holder);
    const other = await issue(holder);
    const expectRefused = async (
      presentation: string,
      c: { nonce: string; audience: string },
      code: RegExp,
    ) => {
      const r = await verifyPresentation(presentation, c);
      expect(r.status, r.text).toBe(200);
      const report = r.body as { verdict: string; checks: Record<string, Check> };
      expect(report.verdict).toBe("invalid");
      // Every check of a refusal says its English from coded sentences, and its French quotes no
      // English detail (issue 12): the library's and the key binding's findings are coded too.
      for (const check of Object.values(report.checks)) {
        expectSaidInEnglish(check);
        expectSaidInFrench(check);
      }
      const codes = Object.values(report.checks)
        .filter((x) => x.ok === false)
        .map((x) => x.code);
      expect(codes.join(" ")).toMatch(code);
    };
    // Forged: a disclosure made up by the holder, claiming another description.
    const forgedDisclosure = Buffer.from(
      JSON.stringify(["c2FsdHNhbHRzYWx0", "description", "Certified engineer"]),
    ).toString("base64url");
    const [jwt] = sdJwt.split("~");
    let c = await challenge();
    // Built by hand: a holder library would drop a disclosure that is not the issuer's.
    const kb = (await present(holder, sdJwt, {}, c)).split("~").pop();
    const forgedPresentation = `${jwt}~${forgedDisclosure}~${kb}`;
    await expectRefused(forgedPresentation, c, /disclosure_foreign|signature/);
    // Missing key binding: the presentation ends with `~` and nothing after it.
    c = await challenge();
    await expectRefused(`${jwt}~`, c, /key_binding_missing/);
    // Replayed: the same presentation a second time (its nonce already used).
    c = await challenge();
    const once = await present(holder, sdJwt, {}, c);
    expect(((await verifyPresentation(once, c)).body as { verdict: string }).verdict).not.toBe("invalid");
    await expectRefused(once, c, /key_binding_invalid/);
    // Another credential's disclosure spliced in (re-bound with a fresh key binding).
    const otherDisclosure = other.sdJwt.split("~")[1]!;
    c = await challenge();
    const spliced = `${jwt}~${otherDisclosure}~${(await present(holder, sdJwt, {}, c)).split("~").pop()}`;
    await expectRefused(spliced, c, /disclosure_foreign|key_binding/);
    // A key binding by another key than the credential's holder.
    const thief = newHolder();
    c = await challenge();
    await expectRefused(await present(thief, sdJwt, {}, c), c, /key_binding_invalid/);
  });
});

describe("SD-JWT answers to presentation requests", () => {
  it("answers a request with chosen fields withheld; the result, read back later, still says what was withheld", async () => {
    const holder = newHolder();
    const { sdJwt } = await issue(holder);
    const created = await call(server.url, "POST", "/v1/presentation-requests", {
      body: { purpose: "Hiring a pump technician", types: ["MicroCredential"] },
    });
    expect(created.status, created.text).toBe(201);
    const req = created.body as { id: string; requestUri: string; manageToken: string };
    const ro = (await call(server.url, "GET", new URL(req.requestUri).pathname)).body as {
      nonce: string;
      audience: string;
      response_uri: string;
    };
    const c = { nonce: ro.nonce, audience: ro.audience };
    const respond = (presentation: string) =>
      call(server.url, "POST", new URL(ro.response_uri).pathname, { body: { presentation } });
    // Bound to another verifier's audience: refused, and the request stays open.
    const foreign = await respond(
      await present(holder, sdJwt, {}, { ...c, audience: "https://elsewhere.example" }),
    );
    expect(foreign.status, foreign.text).toBe(422);
    // Revealing only the evidence.
    const answered = await respond(await present(holder, sdJwt, { evidence: true }, c));
    expect(answered.status, answered.text).toBe(200);
    const report = (
      answered.body as {
        report: {
          verdict: string;
          checks: Record<string, { ok: unknown; code: string; withheld?: string[] }>;
        };
      }
    ).report;
    expect(report.verdict, JSON.stringify(report.checks)).not.toBe("invalid");
    expect(report.checks.holder).toMatchObject({ ok: true, code: "holder.key_binding_valid" });
    expect(report.checks.disclosure!.withheld).toEqual([
      "credentialSubject.achievement.description",
      "credentialSubject.achievement.criteria.narrative",
      "description",
    ]);
    const read = await call(server.url, "GET", `/v1/presentation-requests/${req.id}`, {
      token: req.manageToken,
    });
    expect(read.status, read.text).toBe(200);
    const again = read.body as { state: string; report: typeof report };
    expect(again.state).toBe("answered");
    expect(again.report.checks.holder).toMatchObject({ ok: true });
    expect(again.report.checks.disclosure!.withheld).toHaveLength(3);
  });

  it("refuses an SD-JWT answer that lacks the requested type", async () => {
    const holder = newHolder();
    const { sdJwt } = await issue(holder);
    const created = await call(server.url, "POST", "/v1/presentation-requests", {
      body: { purpose: "Translators wanted", types: ["Attribution"] },
    });
    const req = created.body as { requestUri: string };
    const ro = (await call(server.url, "GET", new URL(req.requestUri).pathname)).body as {
      nonce: string;
      audience: string;
      response_uri: string;
    };
    const r = await call(server.url, "POST", new URL(ro.response_uri).pathname, {
      body: { presentation: await present(holder, sdJwt, {}, { nonce: ro.nonce, audience: ro.audience }) },
    });
    expect(r.status, r.text).toBe(422);
    expect((r.body as { code: string }).code).toBe("presentation_request.presentation_rejected");
  });
});

describe("SD-JWT lasting shares", () => {
  it("a share holds the disclosures the learner kept; every read names what was withheld", async () => {
    const holder = newHolder();
    const { sdJwt, id } = await issue(holder);
    const kept = await holderTools(holder).present(sdJwt, { evidence: true });
    expect(kept.endsWith("~")).toBe(true);
    const proof = () =>
      holder.signJwt(
        { alg: "EdDSA", kid: holder.kid, typ: "JWT" },
        {
          aud: server.url,
          credentialId: id,
          iat: Math.floor(Date.now() / 1000),
          nonce: createHash("sha256").update(String(Math.random())).digest("base64url"),
        },
      );
    const made = await call(server.url, "POST", "/v1/shares", { body: { credential: kept, proof: proof() } });
    expect(made.status, made.text).toBe(201);
    const shareId = (made.body as { id: string }).id;
    for (let i = 0; i < 2; i++) {
      const read = await call(server.url, "GET", `/v1/shares/${shareId}`);
      expect(read.status, read.text).toBe(200);
      const report = (
        read.body as {
          report: {
            verdict: string;
            checks: Record<string, { ok: unknown; code: string; withheld?: string[] }>;
          };
        }
      ).report;
      expect(report.verdict, JSON.stringify(report.checks)).toBe("valid");
      expect(report.checks.holder).toMatchObject({ ok: true, code: "holder.shared_by_subject" });
      expect(report.checks.disclosure!.withheld).toEqual([
        "credentialSubject.achievement.description",
        "credentialSubject.achievement.criteria.narrative",
        "description",
      ]);
    }
    // A key binding belongs to one verifier's request, not to a lasting link; a forged disclosure is refused.
    const bound = await present(holder, sdJwt, {}, await challenge());
    const withKb = await call(server.url, "POST", "/v1/shares", {
      body: { credential: bound, proof: proof() },
    });
    expect(withKb.status).toBe(422);
    const forged = `${sdJwt.split("~")[0]}~${Buffer.from(JSON.stringify(["c2FsdHNhbHRzYWx0", "description", "Certified"])).toString("base64url")}~`;
    const refused = await call(server.url, "POST", "/v1/shares", {
      body: { credential: forged, proof: proof() },
    });
    expect(refused.status).toBe(422);
    expect((refused.body as { code: string }).code).toBe("sharing.credential_invalid");
  });
});
