// Issue 14 over HTTP against the composition root (docs/API.md "Provenance"): co-authored MPUs,
// endorsements, and the provenance of an artifact, with every receipt verified offline.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyReceipt, type Receipt } from "@meritlog/ledger/verify";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder, type Holder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";
import { expectSaidInFrench } from "./helpers/said-in-french.js";

type Problem = { status: number; code: string; detail: string };
type Issuer = { id: string; did: string; name: string; token: string };
type Check = { ok: boolean | "unknown"; code: string; message: string; [k: string]: unknown };
type Report = { verdict: string; checks: Record<string, Check> };
type MpuView = {
  id: string;
  state: string;
  signed: number;
  of: number;
  missing: string[];
  statementDigest: string;
  statement: Record<string, unknown>;
  credential?: { id: string; jwt: string; receipt: Receipt };
  offer?: { id: string; offerUri: string; walletLink: string; expiresAt: string };
  offers?: Record<string, string>;
  credentials?: Record<string, string>;
  signatures: { author: string; leafIndex: number }[];
  declined?: { reason: string };
};

let server: RunningServer;
let academy: Issuer;
let panel: Issuer;
let verifierKey: string;

function expectProblem(
  res: { status: number; headers: Headers; body: unknown },
  status: number,
  code: string,
) {
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect((res.body as Problem).code).toBe(code);
  expect(res.status).toBe(status);
}

/** A fresh artifact: its bytes' SHA-256 as hex and as SRI. */
function artifact(): { hex: string; sri: string } {
  const d = createHash("sha256").update(randomBytes(64)).digest();
  return { hex: d.toString("hex"), sri: `sha256-${d.toString("base64")}` };
}

/** RFC 8785 for the plain JSON the statement is (strings, arrays, objects): sorted members. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

const sign = (h: Holder, payload: Record<string, unknown>) =>
  h.signJwt({ alg: "EdDSA", kid: h.kid }, payload);

function mpuBody(authors: Holder[], sri: string): Record<string, unknown> {
  const { mpuAuthorship } = apiExamples(authors[0]!.did);
  const { type: _t, subject: _s, ...rest } = mpuAuthorship;
  const mpu = rest.mpu as Record<string, unknown>;
  return {
    ...rest,
    mpu: {
      ...mpu,
      id: `urn:uuid:${crypto.randomUUID()}`,
      digestSRI: sri,
      authors: authors.map((a, i) => ({ id: a.did, role: i === 0 ? "lead author" : "co-author" })),
    },
  };
}

type Redeemed = { status: number; body: Record<string, unknown> };

/**
 * Redeems an author's offer through OpenID4VCI (pre-authorized code, nonce, key proof by `h`);
 * with `thief`, a proof by that key is tried first with the same access token and its answer returned too.
 */
async function redeem(
  offerUri: string,
  h: Holder,
  thief?: Holder,
): Promise<Redeemed & { stolen?: Redeemed }> {
  const offerUrl = new URLSearchParams(offerUri.split("?")[1]).get("credential_offer_uri")!;
  const offer = (await (await fetch(offerUrl)).json()) as {
    grants: Record<string, { "pre-authorized_code": string }>;
  };
  const code = Object.values(offer.grants)[0]!["pre-authorized_code"];
  const token = (
    await call(server.url, "POST", "/oid4vci/token", {
      body: {
        grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code",
        "pre-authorized_code": code,
      },
    })
  ).body as { access_token: string; c_nonce: string };
  const ask = async (k: Holder): Promise<Redeemed> => {
    const proof = k.signJwt(
      { typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: k.kid },
      { aud: server.url, iat: Math.floor(Date.now() / 1000), nonce: token.c_nonce },
    );
    const res = await fetch(`${server.url}/oid4vci/credential`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ credential_configuration_id: "MPUAuthorship", proofs: { jwt: [proof] } }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const stolen = thief ? await ask(thief) : undefined;
  return { ...(await ask(h)), ...(stolen ? { stolen } : {}) };
}

async function issuer(name: string): Promise<Issuer> {
  const res = await call(server.url, "POST", "/v1/issuers", { token: ADMIN_TOKEN, body: { name } });
  expect(res.status).toBe(201);
  return res.body as Issuer;
}

async function verify(jwt: string): Promise<Report> {
  const res = await call(server.url, "POST", "/v1/verify", { body: { credential: jwt } });
  expect(res.status).toBe(200);
  return res.body as Report;
}

beforeAll(async () => {
  server = await startServer();
  academy = await issuer("Kaduna Repair Academy");
  panel = await issuer("Kaduna North Review Panel");
  verifierKey = ((await call(server.url, "GET", "/v1/log/key")).body as { verifierKey: string }).verifierKey;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("co-authored MPUs", () => {
  const [a, b, c] = [newHolder(), newHolder(), newHolder()];
  const outsider = newHolder();
  let reg: {
    id: string;
    statement: Record<string, unknown>;
    statementDigest: string;
    signLinks: { author: string; walletLink: string }[];
  };
  const keyOf = (h: Holder) =>
    new URLSearchParams(reg.signLinks.find((l) => l.author === h.did)!.walletLink.split("#")[1]).get("key")!;

  it("registers an MPU with three authors and one sign link each", async () => {
    const res = await call(server.url, "POST", "/v1/mpus", {
      token: academy.token,
      body: mpuBody([a, b, c], artifact().sri),
    });
    expect(res.status).toBe(201);
    reg = res.body as typeof reg;
    expect(reg.id).toMatch(/^urn:uuid:/);
    expect(reg.signLinks.map((l) => l.author)).toEqual([a.did, b.did, c.did]);
    expect(reg.statement).toMatchObject({ type: "MPUCoAuthorshipStatement", issuer: academy.did });
    expect(createHash("sha256").update(canonical(reg.statement)).digest("hex")).toBe(reg.statementDigest);
  });

  it("refuses bad registrations with problem+json", async () => {
    const body = mpuBody([a, b], artifact().sri);
    expectProblem(await call(server.url, "POST", "/v1/mpus", { body }), 401, "auth.missing_token");
    const didWeb = mpuBody([a], artifact().sri);
    (didWeb.mpu as { authors: unknown[] }).authors.push({ id: "did:web:example.org", role: "co-author" });
    expectProblem(
      await call(server.url, "POST", "/v1/mpus", { token: academy.token, body: didWeb }),
      400,
      "request.invalid",
    );
    const withSigs = mpuBody([a], artifact().sri);
    (withSigs.mpu as Record<string, unknown>).coSignatures = [];
    expectProblem(
      await call(server.url, "POST", "/v1/mpus", { token: academy.token, body: withSigs }),
      400,
      "request.invalid",
    );
    const certified = mpuBody([a], artifact().sri);
    (certified.mpu as Record<string, unknown>).title = "Certified rainfall engineer log";
    const res = await call(server.url, "POST", "/v1/mpus", { token: academy.token, body: certified });
    expect(res.status).toBe(422);
    expect((res.body as Problem).code).toMatch(/^claims\./);
    expectProblem(
      await call(server.url, "POST", "/v1/mpus", { token: academy.token, raw: "{" }),
      400,
      "http.bad_json",
    );
  });

  it("two of three sign: the MPU says 2 of 3 and no credential exists", async () => {
    for (const h of [a, b]) {
      const res = await call(server.url, "POST", `/v1/mpus/${reg.id}/signatures`, {
        body: { jws: sign(h, reg.statement) },
      });
      expect(res.status).toBe(201);
      expect((res.body as MpuView).credential).toBeUndefined();
      expect((res.body as MpuView).offer).toBeUndefined();
    }
    const view = (await call(server.url, "GET", `/v1/mpus/${reg.id}?key=${keyOf(a)}`)).body as MpuView;
    expect(view).toMatchObject({ state: "open", signed: 2, of: 3, missing: [c.did] });
    expect(view.credential).toBeUndefined();
    expect(view.offer).toBeUndefined();
    const own = (await call(server.url, "GET", `/v1/mpus/${reg.id}`, { token: academy.token }))
      .body as MpuView;
    expect(own.credentials).toBeUndefined();
    expect(own.offers).toBeUndefined();
  });

  it("refuses forged, foreign, altered and repeated signatures", async () => {
    const path = `/v1/mpus/${reg.id}/signatures`;
    // c's kid, outsider's key: the signature does not hold for c's did:key.
    const forged = outsider.signJwt({ alg: "EdDSA", kid: c.kid }, reg.statement);
    expectProblem(
      await call(server.url, "POST", path, { body: { jws: forged } }),
      422,
      "mpu.signature_invalid",
    );
    expectProblem(
      await call(server.url, "POST", path, { body: { jws: sign(outsider, reg.statement) } }),
      403,
      "mpu.not_author",
    );
    const altered = { ...reg.statement, mpu: { ...(reg.statement.mpu as object), title: "Another title" } };
    expectProblem(
      await call(server.url, "POST", path, { body: { jws: sign(c, altered) } }),
      422,
      "mpu.signature_invalid",
    );
    expectProblem(
      await call(server.url, "POST", path, { body: { jws: sign(a, reg.statement) } }),
      409,
      "mpu.already_signed",
    );
    expectProblem(
      await call(server.url, "POST", path, { body: { jws: "not.a.jws" } }),
      422,
      "mpu.signature_invalid",
    );
    expectProblem(await call(server.url, "POST", path, { body: {} }), 400, "schema.invalid");
    expectProblem(
      await call(server.url, "POST", `/v1/mpus/urn:uuid:${crypto.randomUUID()}/signatures`, {
        body: { jws: sign(c, reg.statement) },
      }),
      404,
      "mpu.not_found",
    );
    expectProblem(await call(server.url, "GET", `/v1/mpus/${reg.id}?key=wrong`), 404, "mpu.not_found");
    expectProblem(await call(server.url, "GET", `/v1/mpus/not-an-id`), 400, "schema.invalid");
  });

  it("the third signs: all three get offers, receive credentials that verify with coAuthorship 3 of 3", async () => {
    const res = await call(server.url, "POST", `/v1/mpus/${reg.id}/signatures`, {
      body: { jws: sign(c, reg.statement) },
    });
    expect(res.status).toBe(201);
    const done = res.body as MpuView;
    expect(done).toMatchObject({ state: "issued", signed: 3, of: 3, missing: [] });
    // The last signer's answer carries their own offer; nothing is issued before a wallet redeems it.
    expect(done.offer?.offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    expect(done.offer?.walletLink).toContain("/wallet/#offer=");
    expect(done.credential).toBeUndefined();
    const listed = (await call(server.url, "GET", `/v1/mpus/${reg.id}`, { token: academy.token }))
      .body as MpuView;
    expect(Object.keys(listed.offers!)).toEqual([a.did, b.did, c.did]);
    expect(listed.credentials).toBeUndefined();
    const leaves = done.signatures.map((s) => s.leafIndex);
    for (const h of [a, b, c]) {
      const view = (await call(server.url, "GET", `/v1/mpus/${reg.id}?key=${keyOf(h)}`)).body as MpuView;
      expect(view.offer?.id).toBe(listed.offers![h.did]);
      // Bound to the author: a key proof by anyone else is refused and spends nothing.
      const got = await redeem(view.offer!.offerUri, h, outsider);
      expect(got.stolen?.status).toBe(400);
      expect(got.stolen?.body.error).toBe("invalid_proof");
      expect(got.status, JSON.stringify(got.body)).toBe(200);
      const jwt = got.body.credential as string;
      const payload = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as {
        sub: string;
        credentialSubject: { mpu: { coSignatures: { author: string; leafIndex: number }[] } };
      };
      expect(payload.sub).toBe(h.did);
      expect(payload.credentialSubject.mpu.coSignatures.map((s) => s.author)).toEqual([a.did, b.did, c.did]);
      expect(payload.credentialSubject.mpu.coSignatures.map((s) => s.leafIndex)).toEqual(leaves);
      expect(verifyReceipt(got.body.receipt as Receipt, verifierKey).ok).toBe(true);
      const report = await verify(jwt);
      expect(report.verdict).toBe("valid");
      expect(report.checks.coAuthorship).toMatchObject({
        ok: true,
        code: "coAuthorship.complete",
        signed: 3,
        of: 3,
        entries: "verified",
        leaves: [...leaves].sort((x, y) => x - y),
      });
      expect(report.checks.coAuthorship!.message).toContain("3 of 3");
      // Once redeemed, the author's view shows the credential and no longer the offer.
      const after = (await call(server.url, "GET", `/v1/mpus/${reg.id}?key=${keyOf(h)}`)).body as MpuView;
      expect(after.offer).toBeUndefined();
      expect(after.credential?.jwt).toBe(jwt);
      // Single use: the link is dead.
      expect(
        (await fetch(new URLSearchParams(view.offer!.offerUri.split("?")[1]).get("credential_offer_uri")!))
          .status,
      ).toBe(404);
    }
    // The co-signature entries are in the log as `cosign` entries, without any author's DID.
    const entry = (await call(server.url, "GET", `/v1/log/entries/${leaves[0]}`)).body as { entry: string };
    expect(JSON.parse(entry.entry)).toMatchObject({
      kind: "cosign",
      mpu: reg.id,
      statement: reg.statementDigest,
    });
    for (const h of [a, b, c]) expect(entry.entry).not.toContain(h.did);
    // Closed now.
    expectProblem(
      await call(server.url, "POST", `/v1/mpus/${reg.id}/signatures`, {
        body: { jws: sign(c, reg.statement) },
      }),
      409,
      "mpu.closed",
    );
    const own = (await call(server.url, "GET", `/v1/mpus/${reg.id}`, { token: academy.token }))
      .body as MpuView;
    expect(Object.keys(own.credentials!).sort()).toEqual([a.did, b.did, c.did].sort());
  });

  it("an author declines: the MPU stays unissued with the reason recorded", async () => {
    const r = (
      await call(server.url, "POST", "/v1/mpus", {
        token: academy.token,
        body: mpuBody([a, b], artifact().sri),
      })
    ).body as typeof reg;
    expect(
      (await call(server.url, "POST", `/v1/mpus/${r.id}/signatures`, { body: { jws: sign(a, r.statement) } }))
        .status,
    ).toBe(201);
    // A refusal must name this statement.
    expectProblem(
      await call(server.url, "POST", `/v1/mpus/${r.id}/declines`, {
        body: { jws: sign(b, { type: "MPUCoAuthorshipDecline", statement: "0".repeat(64), reason: "x" }) },
      }),
      422,
      "mpu.signature_invalid",
    );
    const res = await call(server.url, "POST", `/v1/mpus/${r.id}/declines`, {
      body: {
        jws: sign(b, {
          type: "MPUCoAuthorshipDecline",
          statement: r.statementDigest,
          reason: "I did not work on the wet-season log.",
        }),
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: "declined", signed: 1, of: 2 });
    expect((res.body as MpuView).declined?.reason).toBe("I did not work on the wet-season log.");
    expectProblem(
      await call(server.url, "POST", `/v1/mpus/${r.id}/signatures`, { body: { jws: sign(b, r.statement) } }),
      409,
      "mpu.closed",
    );
    const own = (await call(server.url, "GET", `/v1/mpus/${r.id}`, { token: academy.token })).body as MpuView;
    expect(own.credentials).toBeUndefined();
  });

  it("the verifier refuses forged, missing, extra and unlogged co-signatures in a credential", async () => {
    const sri = artifact().sri;
    // Three registered authors sign (anchored `cosign` entries); credentials made by hand below
    // carry their JWSs and name their real entries, or other ones.
    const body = mpuBody([a, b, c], sri);
    const r = (await call(server.url, "POST", "/v1/mpus", { token: academy.token, body })).body as typeof reg;
    const statement = r.statement;
    const jwsOf = new Map<Holder, string>();
    const leafOf = new Map<Holder, number>();
    for (const h of [a, b, c]) {
      const jws = sign(h, statement);
      const v = (await call(server.url, "POST", `/v1/mpus/${r.id}/signatures`, { body: { jws } }))
        .body as MpuView;
      jwsOf.set(h, jws);
      leafOf.set(h, v.signatures.find((s) => s.author === h.did)!.leafIndex);
    }
    const issue = async (coSignatures: unknown[]) => {
      const res = await call(server.url, "POST", "/v1/credentials", {
        token: academy.token,
        body: {
          type: "MPUAuthorship",
          subject: { id: a.did },
          ...body,
          mpu: { ...(body.mpu as object), coSignatures },
        },
      });
      expect(res.status).toBe(201);
      return await verify((res.body as { jwt: string }).jwt);
    };
    const good = (h: Holder) => ({ author: h.did, jws: jwsOf.get(h)!, leafIndex: leafOf.get(h)! });
    expect((await issue([good(a), good(b), good(c)])).checks.coAuthorship).toMatchObject({
      ok: true,
      signed: 3,
      of: 3,
      entries: "verified",
    });
    // Valid signatures, but the named entries do not record them: another author's entry, leaf 0,
    // a fresh (valid, never anchored) JWS of the same author.
    for (const wrong of [
      { ...good(b), leafIndex: leafOf.get(a)! },
      { ...good(b), leafIndex: 0 },
      { ...good(b), jws: b.signJwt({ alg: "EdDSA", kid: b.kid, typ: "JWT" }, statement) },
    ]) {
      const rw = await issue([good(a), wrong, good(c)]);
      expect(rw.verdict).toBe("invalid");
      expect(rw.checks.coAuthorship).toMatchObject({ ok: false, code: "coAuthorship.entry_mismatch" });
      expectSaidInFrench(rw.checks.coAuthorship!); // its detail (the log entry's) in French too
    }
    const forged = {
      author: b.did,
      jws: outsider.signJwt({ alg: "EdDSA", kid: b.kid }, statement),
      leafIndex: leafOf.get(b)!,
    };
    const r1 = await issue([good(a), forged, good(c)]);
    expect(r1.verdict).toBe("invalid");
    expect(r1.checks.coAuthorship).toMatchObject({ ok: false, code: "coAuthorship.invalid_signature" });
    expectSaidInFrench(r1.checks.coAuthorship!);
    const r2 = await issue([good(a), good(c)]);
    expect(r2.checks.coAuthorship).toMatchObject({
      ok: false,
      code: "coAuthorship.incomplete",
      signed: 2,
      of: 3,
    });
    expect(r2.checks.coAuthorship!.missing).toEqual([b.did]);
    expect(r2.checks.coAuthorship!.message).toContain("2 of 3");
    const r3 = await issue([
      good(a),
      good(b),
      good(c),
      { author: outsider.did, jws: sign(outsider, statement), leafIndex: 0 },
    ]);
    expect(r3.checks.coAuthorship).toMatchObject({ ok: false, code: "coAuthorship.extra_signer" });
    const other = { ...statement, mpu: { ...(statement.mpu as object), title: "Something else" } };
    const r4 = await issue([
      good(a),
      { author: b.did, jws: sign(b, other), leafIndex: leafOf.get(b)! },
      good(c),
    ]);
    expect(r4.checks.coAuthorship).toMatchObject({ ok: false, code: "coAuthorship.invalid_signature" });
    expectSaidInFrench(r4.checks.coAuthorship!);
    // A single-author MPU without co-signatures keeps its report as before: no coAuthorship check.
    const plain = await call(server.url, "POST", "/v1/credentials", {
      token: academy.token,
      body: apiExamples(a.did).mpuAuthorship,
    });
    const r5 = await verify((plain.body as { jwt: string }).jwt);
    expect(r5.verdict).toBe("valid");
    expect(r5.checks.coAuthorship).toBeUndefined();
  });
});

describe("endorsements", () => {
  const holder = newHolder();
  let credential: { id: string; jwt: string };
  let endorsement: { id: string; jwt: string; receipt: Receipt };

  it("a review panel endorses a credential: an OB 3.0 EndorsementCredential, anchored as `endorse`", async () => {
    const res = await call(server.url, "POST", "/v1/credentials", {
      token: academy.token,
      body: apiExamples(holder.did).microCredential(),
    });
    credential = res.body as typeof credential;
    const e = await call(server.url, "POST", "/v1/endorsements", {
      token: panel.token,
      body: {
        target: credential.id,
        claim: { narrative: "The panel reviewed the guide and found it clear.", reviewLevel: "panel" },
      },
    });
    expect(e.status).toBe(201);
    endorsement = e.body as typeof endorsement;
    const payload = JSON.parse(Buffer.from(endorsement.jwt.split(".")[1]!, "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(payload.type).toEqual(["VerifiableCredential", "EndorsementCredential"]);
    expect(payload.credentialSubject).toMatchObject({
      id: credential.id,
      type: ["EndorsementSubject"],
      endorsementComment: "The panel reviewed the guide and found it clear.",
    });
    expect(payload.iss).toBe(panel.did);
    expect(verifyReceipt(endorsement.receipt, verifierKey).ok).toBe(true);
    expect(JSON.parse(endorsement.receipt.entry)).toMatchObject({
      kind: "endorse",
      target: credential.id,
      credentialId: endorsement.id,
      issuer: panel.did,
    });
    // The endorsement verifies on its own, too.
    const own = await verify(endorsement.jwt);
    expect(own.verdict).toBe("valid");
    expect(own.checks.schema).toMatchObject({ ok: true, kind: "EndorsementCredential" });
  });

  it("is shown in the credential's report and listed for its target", async () => {
    const report = await verify(credential.jwt);
    expect(report.verdict).toBe("valid");
    expect(report.checks.endorsements).toMatchObject({
      ok: true,
      code: "endorsements.listed",
      valid: 1,
      of: 1,
    });
    expect(report.checks.endorsements!.endorsements).toEqual([
      expect.objectContaining({ endorser: panel.did, name: panel.name, state: "valid", status: "active" }),
    ]);
    const list = await call(server.url, "GET", `/v1/endorsements?target=${credential.id}`);
    expect(list.status).toBe(200);
    expect((list.body as { items: { id: string; state: string }[] }).items).toEqual([
      expect.objectContaining({ id: endorsement.id, state: "active" }),
    ]);
  });

  it("revoked, it is shown as revoked (and the credential stays valid)", async () => {
    const rv = await call(server.url, "POST", `/v1/credentials/${endorsement.id}/status`, {
      token: panel.token,
      body: { action: "revoke", reason: "issued-in-error" },
    });
    expect(rv.status).toBe(200);
    const report = await verify(credential.jwt);
    expect(report.verdict).toBe("valid");
    expect(report.checks.endorsements!.endorsements).toEqual([
      expect.objectContaining({ state: "invalid", status: "revoked", reason: "it is revoked" }),
    ]);
    expect(report.checks.endorsements).toMatchObject({ valid: 0, of: 1 });
    expect((await verify(endorsement.jwt)).verdict).toBe("invalid");
  });

  it("refuses bad endorsements with problem+json", async () => {
    const ok = { target: credential.id, claim: { narrative: "Clear." } };
    expectProblem(
      await call(server.url, "POST", "/v1/endorsements", { body: ok }),
      401,
      "auth.missing_token",
    );
    expectProblem(
      await call(server.url, "POST", "/v1/endorsements", {
        token: panel.token,
        body: { ...ok, target: `urn:uuid:${crypto.randomUUID()}` },
      }),
      404,
      "endorsement.target_not_found",
    );
    expectProblem(
      await call(server.url, "POST", "/v1/endorsements", {
        token: panel.token,
        body: { ...ok, target: "nope" },
      }),
      400,
      "schema.invalid",
    );
    expectProblem(
      await call(server.url, "POST", "/v1/endorsements", { token: panel.token, body: { ...ok, extra: 1 } }),
      400,
      "schema.invalid",
    );
    const res = await call(server.url, "POST", "/v1/endorsements", {
      token: panel.token,
      body: { ...ok, claim: { narrative: "A certified hand-pump technician." } },
    });
    expect(res.status).toBe(422);
    expect((res.body as Problem).code).toMatch(/^claims\./);
    expectProblem(await call(server.url, "GET", "/v1/endorsements?target=zzz"), 400, "request.invalid");
    expectProblem(await call(server.url, "GET", "/v1/endorsements"), 400, "schema.invalid");
  });
});

describe("provenance of an artifact", () => {
  const file = artifact();
  const author = newHolder();
  const rival = newHolder();
  const translator = newHolder();
  const reviewer = newHolder();

  it("lists authorship, two attributions and an anchor, names the conflicts, and every receipt verifies", async () => {
    const anchor = await call(server.url, "POST", "/v1/anchors", {
      token: academy.token,
      body: { digest: file.sri, mediaType: "text/csv" },
    });
    expect(anchor.status).toBe(201);
    const mpu = apiExamples(author.did).mpuAuthorship;
    (mpu.mpu as Record<string, unknown>).digestSRI = file.sri;
    const authorship = await call(server.url, "POST", "/v1/credentials", { token: academy.token, body: mpu });
    expect(authorship.status).toBe(201);
    const authorshipEntry = JSON.parse((authorship.body as { receipt: Receipt }).receipt.entry) as Record<
      string,
      unknown
    >;
    expect(authorshipEntry).toMatchObject({ kind: "issue", artifact: file.hex, v: 2 });
    for (const h of [translator, reviewer]) {
      const att = apiExamples(h.did).attribution;
      (att.object as Record<string, unknown>).digestSRI = file.sri;
      expect(
        (await call(server.url, "POST", "/v1/credentials", { token: academy.token, body: att })).status,
      ).toBe(201);
    }
    // A second issuer names a different sole author of the same file, after the anchor.
    const rivalMpu = apiExamples(rival.did).mpuAuthorship;
    (rivalMpu.mpu as Record<string, unknown>).digestSRI = file.sri;
    expect(
      (await call(server.url, "POST", "/v1/credentials", { token: panel.token, body: rivalMpu })).status,
    ).toBe(201);

    for (const q of [file.hex, file.hex.toUpperCase(), encodeURIComponent(file.sri)]) {
      const res = await call(server.url, "GET", `/v1/provenance?digest=${q}`);
      expect(res.status).toBe(200);
      const body = res.body as {
        digest: string;
        records: { kind: string; issuer: string; state: string; leafIndex: number; receipt: Receipt }[];
        conflicts: string[];
      };
      expect(body.digest).toBe(file.hex);
      expect(body.records.map((r) => r.kind)).toEqual([
        "anchor",
        "authorship",
        "attribution",
        "attribution",
        "authorship",
      ]);
      expect(body.records.map((r) => r.state)).toEqual(["anchored", "active", "active", "active", "active"]);
      for (const r of body.records) {
        expect(verifyReceipt(r.receipt, verifierKey).ok).toBe(true);
        expect(r.receipt.leafIndex).toBe(r.leafIndex);
        const e = JSON.parse(r.receipt.entry) as { artifact?: string; digest: string; kind: string };
        expect(e.kind === "anchor" ? e.digest : e.artifact).toBe(file.hex);
      }
      expect(body.conflicts).toHaveLength(2);
      expect(body.conflicts[0]).toMatch(
        /Kaduna Repair Academy .* and Kaduna North Review Panel .* different person as the sole author/,
      );
      expect(body.conflicts[1]).toMatch(
        /Authorship was claimed by Kaduna North Review Panel .* after Kaduna Repair Academy had already anchored this file/,
      );
      // No holder DID in a public sentence.
      expect(body.conflicts.join(" ")).not.toMatch(/did:key/);
    }
  });

  it("an endorsement of the artifact is listed with it", async () => {
    const e = await call(server.url, "POST", "/v1/endorsements", {
      token: panel.token,
      body: { target: file.sri, claim: { narrative: "The rainfall log was checked against the gauge." } },
    });
    expect(e.status).toBe(201);
    expect(JSON.parse((e.body as { receipt: Receipt }).receipt.entry)).toMatchObject({
      kind: "endorse",
      target: file.hex,
    });
    const body = (await call(server.url, "GET", `/v1/provenance?digest=${file.hex}`)).body as {
      records: { kind: string }[];
    };
    expect(body.records.at(-1)?.kind).toBe("endorsement");
    const list = (await call(server.url, "GET", `/v1/endorsements?target=${file.hex}`)).body as {
      items: unknown[];
    };
    expect(list.items).toHaveLength(1);
  });

  it("a file never recorded says so; a malformed digest is a 400", async () => {
    const res = await call(server.url, "GET", `/v1/provenance?digest=${artifact().hex}`);
    expect(res.status).toBe(200);
    // A public read any page may make (CORS *, never with credentials).
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.body).toMatchObject({ records: [], conflicts: [] });
    expectProblem(await call(server.url, "GET", "/v1/provenance?digest=abc"), 400, "request.invalid");
    expectProblem(await call(server.url, "GET", "/v1/provenance"), 400, "schema.invalid");
    expectProblem(
      await call(server.url, "GET", `/v1/provenance?digest=${file.hex}&x=1`),
      400,
      "schema.invalid",
    );
  });
});
