// Mentor feedback (issue 15): a reviewer, an issuer of its own, addresses an Open Badges 3.0
// EndorsementCredential to the holder of a learner's credential. It is anchored without linking
// holder and credential in the log, is not listed publicly, verifies like any credential, and comes
// with the wallet link that hands it to the learner.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { verifyReceipt, type Receipt } from "@meritlog/ledger/verify";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { apiExamples } from "./helpers/api-examples.js";
import { newHolder } from "./helpers/did-key.js";

let server: RunningServer;
let academy = "";
let mentor = "";
let logKey = "";

const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

beforeAll(async () => {
  server = await startServer();
  const issuer = async (name: string) =>
    (
      (await call(server.url, "POST", "/v1/issuers", { token: ADMIN_TOKEN, body: { name } })).body as {
        token: string;
      }
    ).token;
  academy = await issuer("Hand-Pump Academy");
  mentor = await issuer("Kaduna Review Panel");
  logKey = ((await call(server.url, "GET", "/v1/log/key")).body as { verifierKey: string }).verifierKey;
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe("mentor feedback", () => {
  it("is addressed to the credential's holder, anchored without naming them, unlisted, and verifies", async () => {
    const holder = newHolder();
    const issued = await call(server.url, "POST", "/v1/credentials", {
      token: academy,
      body: apiExamples(holder.did).microCredential(),
    });
    expect(issued.status, issued.text).toBe(201);
    const credentialId = (issued.body as { id: string }).id;
    const comment = "Clear steps; add a photo of the cylinder seal next time.";
    const r = await call(server.url, "POST", "/v1/feedback", {
      token: mentor,
      body: { credentialId, comment, reviewLevel: "peer" },
    });
    expect(r.status, r.text).toBe(201);
    const fb = r.body as { id: string; jwt: string; receipt: Receipt; walletLink: string };
    const p = payloadOf(fb.jwt);
    expect(p.type).toEqual(["VerifiableCredential", "EndorsementCredential"]);
    expect(p.sub).toBe(holder.did);
    expect(p.credentialSubject).toMatchObject({
      id: holder.did,
      endorsementComment: comment,
      reviewLevel: "peer",
    });
    expect(p.evidence).toEqual([expect.objectContaining({ id: credentialId })]);
    // Anchored as a plain issue entry: neither the holder nor the credential appears in the log.
    expect(verifyReceipt(fb.receipt, logKey).ok).toBe(true);
    const entry = JSON.parse(fb.receipt.entry) as Record<string, unknown>;
    expect(entry).toMatchObject({
      kind: "issue",
      credentialId: fb.id,
      digest: createHash("sha256").update(fb.jwt).digest("hex"),
    });
    expect(fb.receipt.entry).not.toContain(holder.did);
    expect(fb.receipt.entry).not.toContain(credentialId);
    // Not listed among the credential's public endorsements.
    const listed = await call(
      server.url,
      "GET",
      `/v1/endorsements?target=${encodeURIComponent(credentialId)}`,
    );
    expect((listed.body as { items: unknown[] }).items).toEqual([]);
    // The wallet link carries the feedback and its receipt in the fragment (never sent to a server).
    const link = new URL(fb.walletLink);
    expect(link.pathname).toBe("/wallet/");
    const fragment = new URLSearchParams(link.hash.slice(1));
    expect(fragment.get("feedback")).toBe(fb.jwt);
    expect(JSON.parse(fragment.get("receipt")!)).toEqual(fb.receipt);
    // It verifies like any credential.
    const v = await call(server.url, "POST", "/v1/verify", {
      body: { credential: fb.jwt, receipt: fb.receipt },
    });
    expect(v.status, v.text).toBe(200);
    const report = v.body as { verdict: string; checks: { schema: { kind?: string } } };
    expect(report.verdict).toBe("valid");
    expect(report.checks.schema.kind).toBe("EndorsementCredential");
  });

  it("needs an issuer token and a learner's credential of this service; words implying certification are refused", async () => {
    const holder = newHolder();
    const credentialId = (
      (
        await call(server.url, "POST", "/v1/credentials", {
          token: academy,
          body: apiExamples(holder.did).microCredential(),
        })
      ).body as { id: string }
    ).id;
    expect(
      (await call(server.url, "POST", "/v1/feedback", { body: { credentialId, comment: "Good work." } }))
        .status,
    ).toBe(401);
    const unknown = await call(server.url, "POST", "/v1/feedback", {
      token: mentor,
      body: { credentialId: "urn:uuid:00000000-0000-4000-8000-000000000000", comment: "Good work." },
    });
    expect(unknown.status).toBe(404);
    expect((unknown.body as { code: string }).code).toBe("endorsement.target_not_found");
    const certifying = await call(server.url, "POST", "/v1/feedback", {
      token: mentor,
      body: { credentialId, comment: "You are now a certified pump engineer." },
    });
    expect(certifying.status, certifying.text).toBe(422);
    expect((certifying.body as { code: string }).code).toMatch(/^claims\./);
    const malformed = await call(server.url, "POST", "/v1/feedback", {
      token: mentor,
      body: { credentialId },
    });
    expect(malformed.status).toBe(400);
  });
});
