// Issuer key rotation over a real port: issue → rotate → issue; both credentials verify through
// POST /v1/verify; the old one, revoked after the rotation, is reported revoked from a status list
// signed by the new key (accepted only because the registry lists the old DID as the issuer's).
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyReceipt } from "@meritlog/ledger/verify";
import { verifyCredential } from "@meritlog/verifier/core";
import { nodeEd25519 } from "@meritlog/verifier";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";

const holder = newHolder();
const body = {
  type: "MicroCredential",
  subject: { id: holder.did },
  achievement: {
    name: "Bill of Materials Literacy",
    description: "Prepared a bill of materials for a solar dryer.",
    criteria: { narrative: "A reviewed bill of materials." },
  },
  scope: { covers: ["preparing a bill of materials"], excludes: ["procurement decisions"] },
  reviewLevel: "peer",
  evidence: [
    { id: "https://example.org/bom.pdf", digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" },
  ],
  validUntil: "2030-01-01T00:00:00Z",
};

type Check = { ok: unknown; code: string; message: string; [k: string]: unknown };
type Report = {
  verdict: string;
  checks: { signature: Check; issuer: Check; status: Check & { state: string }; anchoring: Check };
};
type Registry = {
  id: string;
  did: string;
  name: string;
  previousDids: string[];
  previousKeys: { did: string; retiredAt: string }[];
}[];
type Issued = { id: string; jwt: string; status: { statusListCredential: string } };

let server: RunningServer;
let academy: { id: string; did: string; token: string };
let other: { id: string; did: string; token: string };
let verifierKey = "";

const verify = async (jwt: string) =>
  (await call(server.url, "POST", "/v1/verify", { body: { credential: jwt } })).body as Report;
async function issue(token: string): Promise<Issued> {
  const r = await call(server.url, "POST", "/v1/credentials", { token, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as Issued;
}
const payload = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

/** The core verifier reading only the status lists, with the trust material given. */
async function listsOnly(
  jwt: string,
  issuers: { did: string; name: string; previousDids?: string[] }[],
): Promise<Report> {
  return (await verifyCredential(jwt, undefined, {
    now: new Date(),
    ed25519: nodeEd25519,
    trust: { issuers, logKeys: [] },
    fetcher: { statusList: async (url) => await (await fetch(url)).text() },
  })) as unknown as Report;
}

beforeAll(async () => {
  server = await startServer();
  const mk = async (name: string) =>
    (await call(server.url, "POST", "/v1/issuers", { token: ADMIN_TOKEN, body: { name } }))
      .body as typeof academy;
  academy = await mk("Solar Dryer Collective");
  other = await mk("Hand Pump Guild");
  verifierKey = ((await call(server.url, "GET", "/v1/log/key")).body as { verifierKey: string }).verifierKey;
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe("issuer key rotation, end to end", () => {
  it("refuses rotation without a token, with a bad token, and with another issuer's token", async () => {
    const path = `/v1/issuers/${academy.id}/keys/rotate`;
    expect((await call(server.url, "POST", path)).status).toBe(401);
    expect((await call(server.url, "POST", path, { token: "mlt_wrong" })).status).toBe(401);
    const forbidden = await call(server.url, "POST", path, { token: other.token });
    expect(forbidden.status).toBe(403);
    expect((forbidden.body as { code: string }).code).toBe("auth.forbidden");
    expect(forbidden.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("issue → rotate → issue: both verify valid and active; revoking the old one after rotation is reported", async () => {
    const before = await issue(academy.token);
    expect(payload(before.jwt).iss).toBe(academy.did);

    const rotated = await call(server.url, "POST", `/v1/issuers/${academy.id}/keys/rotate`, {
      token: academy.token,
    });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(201);
    const r = rotated.body as { id: string; did: string; previousDid: string; keyReceipt: { entry: string } };
    expect(r.id).toBe(academy.id);
    expect(r.previousDid).toBe(academy.did);
    expect(r.did).toMatch(/^did:key:z6Mk/);
    expect(r.did).not.toBe(academy.did);
    expect(verifyReceipt(r.keyReceipt as never, verifierKey).ok).toBe(true);
    const entry = JSON.parse(r.keyReceipt.entry) as Record<string, unknown>;
    expect(entry).toMatchObject({
      kind: "key",
      event: "rotate",
      issuer: r.did,
      previous: academy.did,
      kid: `${r.did}#${r.did.slice(8)}`,
      v: 1,
    });
    expect(entry.digest).toMatch(/^[0-9a-f]{64}$/);

    // The public registry: new DID, old one in previousDids; other issuers have an empty list.
    const registry = (await call(server.url, "GET", "/v1/issuers")).body as Registry;
    const mine = registry.find((i) => i.id === academy.id)!;
    expect(mine).toMatchObject({
      did: r.did,
      name: "Solar Dryer Collective",
      previousDids: [academy.did],
      previousKeys: [{ did: academy.did, retiredAt: entry.at }],
    });
    expect((mine as unknown as { createdAt: string }).createdAt).toBeDefined();
    expect(registry.find((i) => i.id === other.id)).toMatchObject({ did: other.did, previousDids: [] });

    const after = await issue(academy.token);
    expect(payload(after.jwt).iss).toBe(r.did);
    expect(createHash("sha256").update(after.jwt).digest("hex")).toMatch(/^[0-9a-f]{64}$/);

    for (const [cred, did] of [
      [before, academy.did],
      [after, r.did],
    ] as const) {
      const rep = await verify(cred.jwt);
      expect(rep.verdict, JSON.stringify(rep.checks)).toBe("valid");
      expect(rep.checks.status.state).toBe("active");
      expect(rep.checks.issuer).toMatchObject({ ok: true, code: "issuer.registered", did });
      expect(rep.checks.anchoring.ok).toBe(true);
    }
    const oldIssuer = (await verify(before.jwt)).checks.issuer;
    expect(oldIssuer.message).toContain("earlier key of Solar Dryer Collective");
    expect(oldIssuer.message).toContain(`retired at ${entry.at as string}`);
    expect(oldIssuer).toMatchObject({ previousKey: true, currentDid: r.did });

    // The status list is now signed by the new key.
    const listJwt = await (await fetch(before.status.statusListCredential)).text();
    expect(payload(listJwt).iss).toBe(r.did);

    // Revoke the old credential after the rotation.
    const rev = await call(server.url, "POST", `/v1/credentials/${encodeURIComponent(before.id)}/status`, {
      token: academy.token,
      body: { action: "revoke", reason: "issued-in-error" },
    });
    expect(rev.status, JSON.stringify(rev.body)).toBe(200);
    const revoked = await verify(before.jwt);
    expect(revoked.verdict).toBe("invalid");
    expect(revoked.checks.status.state).toBe("revoked");
    expect(revoked.checks.signature.ok).toBe(true);
    // Its list (one two-bit message entry since issue 13) was accepted although signed by the new key (through the registry).
    const lists = revoked.checks.status.lists as { listIssuer: string; ok: unknown; code: string }[];
    expect(lists).toHaveLength(1);
    for (const l of lists) expect(l).toMatchObject({ listIssuer: r.did, ok: true });
    // The new credential is unaffected.
    expect((await verify(after.jwt)).checks.status.state).toBe("active");

    // A verifier that reads only the lists, trusting the public registry as published: revoked
    // (once the list is re-signed: changes are batched, at most one signing per 250 ms).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const published = registry.map((i) => ({ did: i.did, name: i.name, previousDids: i.previousDids }));
    const alone = await listsOnly(before.jwt, published);
    expect(alone.checks.status.state, alone.checks.status.message).toBe("revoked");
    expect(alone.checks.status.ok).toBe(false);
    expect(alone.checks.status.lists).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          purpose: "revocation",
          listIssuer: r.did,
          set: true,
          code: "status.revoked",
        }),
      ]),
    );

    // Only through the registry: without previousDids the new-key list is refused as before…
    const noPrevious = await listsOnly(
      before.jwt,
      registry.map((i) => ({ did: i.did, name: i.name })),
    );
    expect(noPrevious.checks.status.code).toBe("status.list_issuer_mismatch");
    expect(noPrevious.checks.issuer.code).toBe("issuer.unregistered");
    // …and when the old DID is listed under another issuer, that issuer's key is no proof either.
    const misattributed = await listsOnly(before.jwt, [
      { did: r.did, name: "Solar Dryer Collective" },
      { did: other.did, name: "Hand Pump Guild", previousDids: [academy.did] },
    ]);
    expect(misattributed.checks.status.code).toBe("status.list_issuer_mismatch");
  });

  it("an unrelated issuer's status list is still refused for a credential", async () => {
    const cred = await issue(other.token);
    const academyList = (await issue(academy.token)).status.statusListCredential;
    const rep = (await verifyCredential(cred.jwt, undefined, {
      now: new Date(),
      ed25519: nodeEd25519,
      trust: { issuers: (await call(server.url, "GET", "/v1/issuers")).body as Registry, logKeys: [] },
      // A fetcher that answers with the academy's list (current key of another registered issuer).
      fetcher: { statusList: async () => await (await fetch(academyList)).text() },
    })) as unknown as Report;
    expect(rep.checks.status.code).toBe("status.list_issuer_mismatch");
    expect(rep.checks.status.ok).toBe(false);
  });
});
