// Lasting shares and verifier requests (docs/API.md "Sharing that survives email"), over HTTP on
// the real composition root with a simulated clock: a share opened over 200 days, a request
// answered once and re-read many times, races, expiry and every refusal.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder, type Holder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";

const DAY = 24 * 3600_000;
let t = Date.now();
const clock = (): Date => new Date(t);

let server: RunningServer;
let token = "";
const holder = newHolder();
const stranger = newHolder();

type Issued = { id: string; jwt: string };
type Report = {
  verdict: string;
  checkedAt: string;
  checks: Record<string, { ok: unknown; code: string; state?: string; checkedAt?: string }>;
  credentials?: Report[];
};
type Problem = { code: string; status: number };

async function issue(h: Holder = holder): Promise<Issued> {
  const r = await call(server.url, "POST", "/v1/credentials", {
    token,
    body: apiExamples(h.did).microCredential(),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as Issued;
}

/** A holder proof (docs/API.md): EdDSA JWS by `h` over {aud, credentialId, iat, nonce}. */
function proof(
  h: Holder,
  credentialId: string,
  o: { aud?: string; iat?: number; nonce?: string; kid?: string } = {},
): string {
  return h.signJwt(
    { alg: "EdDSA", kid: o.kid ?? h.kid, typ: "JWT" },
    {
      aud: o.aud ?? server.url,
      credentialId,
      iat: o.iat ?? Math.floor(t / 1000),
      nonce: o.nonce ?? randomBytes(16).toString("base64url"),
    },
  );
}

/** A VP-JWT by `h` holding `jwts`, bound to a request's nonce and audience, living 10 minutes. */
function presentation(h: Holder, jwts: string[], nonce: string, audience: string): string {
  const iat = Math.floor(t / 1000);
  return h.signJwt(
    { alg: "EdDSA", kid: h.kid, typ: "JWT" },
    {
      iss: h.did,
      aud: audience,
      nonce,
      iat,
      nbf: iat,
      exp: iat + 600,
      vp: {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        type: ["VerifiablePresentation"],
        holder: h.did,
        verifiableCredential: jwts,
      },
    },
  );
}

const setStatus = async (id: string, action: string, reason: string) =>
  expect(
    (
      await call(server.url, "POST", `/v1/credentials/${encodeURIComponent(id)}/status`, {
        token,
        body: { action, reason },
      })
    ).status,
  ).toBe(200);

beforeAll(async () => {
  server = await startServer({ now: clock });
  token = (
    (
      await call(server.url, "POST", "/v1/issuers", {
        token: ADMIN_TOKEN,
        body: { name: "Hand-Pump Academy" },
      })
    ).body as { token: string }
  ).token;
});
afterAll(async () => {
  await server?.close();
});

describe("lasting shares", () => {
  it("opens 20 times over 200 simulated days: valid, then suspended, then gone after the holder withdraws", async () => {
    const cred = await issue();
    const made = await call(server.url, "POST", "/v1/shares", {
      body: { credential: cred.jwt, proof: proof(holder, cred.id) },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const share = made.body as { id: string; url: string; expiresAt: string };
    expect(share.url).toBe(`${server.url}/s/${share.id}`);
    // Default lifetime: one year.
    expect(Date.parse(share.expiresAt) - t).toBe(365 * DAY);

    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      t += 10 * DAY;
      if (i === 8) await setStatus(cred.id, "suspend", "under-review");
      if (i === 15) {
        // Another key cannot withdraw it: 403 and the share still opens.
        const bad = await call(server.url, "DELETE", `/v1/shares/${share.id}`, {
          body: { proof: proof(stranger, cred.id) },
        });
        expect(bad.status).toBe(403);
        expect((bad.body as Problem).code).toBe("sharing.proof_not_holder");
        // A proof that names the holder's kid but is signed by another key: same.
        const forged = await call(server.url, "DELETE", `/v1/shares/${share.id}`, {
          body: { proof: proof(stranger, cred.id, { kid: holder.kid }) },
        });
        expect(forged.status).toBe(403);
        expect((await call(server.url, "GET", `/v1/shares/${share.id}`)).status).toBe(200);
        const ok = await call(server.url, "DELETE", `/v1/shares/${share.id}`, {
          body: { proof: proof(holder, cred.id) },
        });
        expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      }
      const r = await call(server.url, "GET", `/v1/shares/${share.id}`);
      if (r.status === 410) {
        expect((r.body as Problem).code).toBe("share.withdrawn");
        seen.push("gone");
        continue;
      }
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const body = r.body as {
        credential: string;
        report: Report;
        sharedAt: string;
        expiresAt: string;
        checkedAt: string;
      };
      expect(body.credential).toBe(cred.jwt);
      // Status as of the simulated now, with the time it was checked.
      expect(body.checkedAt).toBe(new Date(t).toISOString());
      expect(body.report.checks.status!.checkedAt).toBe(new Date(t).toISOString());
      expect(body.report.checks.holder!.code).toBe("holder.shared_by_subject");
      seen.push(`${body.report.verdict}/${body.report.checks.status!.state}`);
    }
    expect(seen).toEqual([
      ...Array(8).fill("valid/active"),
      ...Array(7).fill("invalid/suspended"),
      ...Array(5).fill("gone"),
    ]);
    // The page for people answers too, and is gone with the share.
    const page = await fetch(`${server.url}/s/${share.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("expires after expiresIn", async () => {
    const cred = await issue();
    const r = await call(server.url, "POST", "/v1/shares", {
      body: { credential: cred.jwt, proof: proof(holder, cred.id), expiresIn: 3600 },
    });
    expect(r.status).toBe(201);
    const id = (r.body as { id: string }).id;
    expect((await call(server.url, "GET", `/v1/shares/${id}`)).status).toBe(200);
    t += 3601_000;
    const gone = await call(server.url, "GET", `/v1/shares/${id}`);
    expect(gone.status).toBe(410);
    expect((gone.body as Problem).code).toBe("share.expired");
  });

  it("refuses proofs that are not the holder's, not fresh, replayed or for another audience or credential", async () => {
    const cred = await issue();
    const other = await issue();
    const post = (p: string, credential = cred.jwt) =>
      call(server.url, "POST", "/v1/shares", { body: { credential, proof: p } });
    const cases: Array<[string, string, number, string]> = [
      ["another key", proof(stranger, cred.id), 403, "sharing.proof_not_holder"],
      [
        "another key under the holder's kid",
        proof(stranger, cred.id, { kid: holder.kid }),
        403,
        "sharing.proof_not_holder",
      ],
      [
        "another audience",
        proof(holder, cred.id, { aud: "https://elsewhere.example" }),
        403,
        "sharing.proof_rejected",
      ],
      ["another credential", proof(holder, other.id), 403, "sharing.proof_rejected"],
      [
        "iat 301 s old",
        proof(holder, cred.id, { iat: Math.floor(t / 1000) - 301 }),
        403,
        "sharing.proof_rejected",
      ],
      [
        "iat 301 s ahead",
        proof(holder, cred.id, { iat: Math.floor(t / 1000) + 301 }),
        403,
        "sharing.proof_rejected",
      ],
      ["not a JWS", "not-a-jws", 400, "sharing.proof_invalid"],
      ["kid without fragment", proof(holder, cred.id, { kid: holder.did }), 400, "sharing.proof_invalid"],
    ];
    for (const [desc, p, status, code] of cases) {
      const r = await post(p);
      expect(r.status, desc).toBe(status);
      expect((r.body as Problem).code, desc).toBe(code);
    }
    // A nonce is accepted once.
    const nonce = randomBytes(16).toString("base64url");
    expect((await post(proof(holder, cred.id, { nonce }))).status).toBe(201);
    const replay = await post(proof(holder, cred.id, { nonce }));
    expect(replay.status).toBe(403);
    expect((replay.body as Problem).code).toBe("sharing.proof_rejected");
    // A credential whose signature fails is not shared.
    const [h, p, s] = cred.jwt.split(".");
    const tampered = `${h}.${p}.${s!.slice(0, -4)}AAAA`;
    const forged = await post(proof(holder, cred.id), tampered);
    expect(forged.status).toBe(422);
    expect((forged.body as Problem).code).toBe("sharing.credential_invalid");
    // Malformed bodies and unknown ids.
    expect((await call(server.url, "POST", "/v1/shares", { body: { credential: cred.jwt } })).status).toBe(
      400,
    );
    expect(
      (
        await call(server.url, "POST", "/v1/shares", {
          body: { credential: cred.jwt, proof: proof(holder, cred.id), extra: 1 },
        })
      ).status,
    ).toBe(400);
    const missing = await call(server.url, "GET", "/v1/shares/AAAAAAAAAAAAAAAAAAAAAA");
    expect(missing.status).toBe(404);
    expect((missing.body as Problem).code).toBe("share.not_found");
    expect((await call(server.url, "GET", "/v1/shares/..%2F..")).status).toBe(404);
  });
});

describe("presentation requests", () => {
  type Created = {
    id: string;
    walletLink: string;
    requestUri: string;
    resultUrl: string;
    expiresAt: string;
    manageToken: string;
  };
  type RequestObject = {
    nonce: string;
    audience: string;
    purpose: string;
    response_uri: string;
    response_mode: string;
  };
  const create = async (body: Record<string, unknown>): Promise<Created> => {
    const r = await call(server.url, "POST", "/v1/presentation-requests", { body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as Created;
  };
  const requestObject = async (c: Created): Promise<RequestObject> => {
    const r = await fetch(c.requestUri);
    expect(r.status).toBe(200);
    return (await r.json()) as RequestObject;
  };
  const result = (c: Created, tok: string | null = c.manageToken) =>
    call(server.url, "GET", `/v1/presentation-requests/${c.id}`, tok === null ? {} : { token: tok });

  it("answered once: re-read many times with live status; a second answer is 409; the manage token is needed", async () => {
    const cred = await issue();
    const c = await create({ purpose: "Hiring a hand-pump mechanic", types: ["MicroCredential"] });
    expect(c.resultUrl).toBe(`${server.url}/v1/presentation-requests/${c.id}`);
    expect(c.walletLink).toContain(encodeURIComponent(c.requestUri));
    expect(Date.parse(c.expiresAt) - t).toBe(7 * DAY);
    const ro = await requestObject(c);
    expect(ro.audience).toBe(server.url);
    expect(ro.response_mode).toBe("direct_post");
    expect(ro.response_uri).toBe(`${server.url}/v1/presentation-requests/${c.id}/response`);
    // The QR code of the wallet link for the /verify page: a quiet zone of 4 modules (ISO/IEC 18004 §9.1).
    const qr = await fetch(`${server.url}/v1/presentation-requests/${c.id}/qr.svg`);
    expect(qr.headers.get("content-type")).toContain("image/svg+xml");
    const svg = await qr.text();
    const side = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]) / 4;
    expect((side - 8 - 21) % 4).toBe(0); // modules = 21 + 4·(version − 1), plus 4 + 4 of quiet zone
    expect(/M(\d+),(\d+)/.exec(svg)!.slice(1)).toEqual(["16", "16"]); // first dark module right after the quiet zone

    const anonymous = await result(c, null);
    expect(anonymous.status).toBe(401);
    expect((anonymous.body as Problem).code).toBe("presentation_request.token_missing");
    expect(((await result(c, "mlr_wrong")).body as Problem).code).toBe("presentation_request.token_invalid");
    expect(((await result(c)).body as { state: string }).state).toBe("pending");

    // A presentation for another nonce does not use the request up.
    const wrong = await call(server.url, "POST", `/v1/presentation-requests/${c.id}/response`, {
      body: { presentation: presentation(holder, [cred.jwt], "another-nonce-123", ro.audience) },
    });
    expect(wrong.status).toBe(422);
    expect((wrong.body as Problem).code).toBe("presentation_request.presentation_rejected");

    const vp = presentation(holder, [cred.jwt], ro.nonce, ro.audience);
    const answered = await call(server.url, "POST", `/v1/presentation-requests/${c.id}/response`, {
      body: { presentation: vp },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect((answered.body as { report: Report }).report.verdict).toBe("valid");

    const again = await call(server.url, "POST", `/v1/presentation-requests/${c.id}/response`, {
      body: { presentation: presentation(holder, [cred.jwt], ro.nonce, ro.audience) },
    });
    expect(again.status).toBe(409);
    expect((again.body as Problem).code).toBe("presentation_request.answered");

    const states: string[] = [];
    for (let i = 0; i < 12; i++) {
      t += 3 * DAY; // long after the VP's own 10 minutes and the request's 7 days
      if (i === 6) await setStatus(cred.id, "revoke", "overclaimed");
      const r = await result(c);
      expect(r.status).toBe(200);
      const b = r.body as { state: string; purpose: string; report: Report };
      expect(b.state).toBe("answered");
      expect(b.purpose).toBe("Hiring a hand-pump mechanic");
      expect(b.report.checkedAt).toBe(new Date(t).toISOString());
      expect(b.report.checks.holder!.ok).toBe(true);
      states.push(`${b.report.verdict}/${b.report.credentials![0]!.checks.status!.state}`);
    }
    expect(states).toEqual([...Array(6).fill("valid/active"), ...Array(6).fill("invalid/revoked")]);
  });

  it("refuses an answer after expiry and reports the request expired", async () => {
    const cred = await issue();
    const c = await create({ purpose: "Short-lived check", expiresIn: 120 });
    const ro = await requestObject(c);
    t += 121_000;
    const late = await call(server.url, "POST", `/v1/presentation-requests/${c.id}/response`, {
      body: { presentation: presentation(holder, [cred.jwt], ro.nonce, ro.audience) },
    });
    expect(late.status).toBe(410);
    expect((late.body as Problem).code).toBe("presentation_request.expired");
    expect(((await result(c)).body as { state: string }).state).toBe("expired");
  });

  it("has exactly one winner when two answers race", async () => {
    const cred = await issue();
    for (let round = 0; round < 5; round++) {
      const c = await create({ purpose: `race ${round}` });
      const ro = await requestObject(c);
      const send = () =>
        call(server.url, "POST", `/v1/presentation-requests/${c.id}/response`, {
          body: { presentation: presentation(holder, [cred.jwt], ro.nonce, ro.audience) },
        });
      const statuses = (await Promise.all([send(), send(), send()])).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409]);
    }
  });

  it("refuses a presentation without the requested type and malformed requests", async () => {
    const c = await create({ purpose: "Needs authorship", types: ["MPUAuthorship"] });
    const ro = await requestObject(c);
    const cred = await issue();
    const r = await call(server.url, "POST", `/v1/presentation-requests/${c.id}/response`, {
      body: { presentation: presentation(holder, [cred.jwt], ro.nonce, ro.audience) },
    });
    expect(r.status).toBe(422);
    expect((await call(server.url, "POST", "/v1/presentation-requests", { body: {} })).status).toBe(400);
    expect(
      (await call(server.url, "POST", "/v1/presentation-requests", { body: { purpose: "x", expiresIn: -1 } }))
        .status,
    ).toBe(400);
    expect(
      (
        (await call(server.url, "GET", "/v1/presentation-requests/AAAAAAAAAAAAAAAAAAAAAA", { token: "x" }))
          .body as Problem
      ).code,
    ).toBe("presentation_request.not_found");
  });

  it("does not count a self-asserted credential (the holder's own word) as the requested type", async () => {
    const c = await create({ purpose: "Needs authorship", types: ["MPUAuthorship"] });
    const ro = await requestObject(c);
    const own = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiableCredential", "MPUAuthorship"],
      issuer: holder.did,
      credentialSubject: { id: holder.did, note: "I wrote it" },
    };
    const iat = Math.floor(t / 1000);
    const vp = holder.signJwt(
      { alg: "EdDSA", kid: holder.kid, typ: "JWT" },
      {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        type: ["VerifiablePresentation"],
        holder: holder.did,
        verifiableCredential: [own],
        iss: holder.did,
        aud: ro.audience,
        nonce: ro.nonce,
        iat,
        nbf: iat,
        exp: iat + 600,
      },
    );
    const r = await call(server.url, "POST", `/v1/presentation-requests/${c.id}/response`, {
      body: { presentation: vp },
    });
    expect(r.status, r.text).toBe(422);
    expect(r.text).toMatch(/MPUAuthorship/);
  });

  it("is rate-limited per address", async () => {
    let limited = 0;
    for (let i = 0; i < 25 && limited === 0; i++) {
      const r = await call(server.url, "POST", "/v1/presentation-requests", { body: { purpose: "flood" } });
      if (r.status === 429) limited++;
    }
    expect(limited).toBe(1);
  });
});

describe("OpenAPI", () => {
  it("documents the sharing routes with their bodies; only reading a request's result needs a bearer", async () => {
    const paths = (
      (await call(server.url, "GET", "/openapi.json")).body as {
        paths: Record<string, Record<string, { requestBody?: unknown; security?: unknown }>>;
      }
    ).paths;
    expect(paths["/v1/shares"]!.post!.requestBody).toBeDefined();
    expect(paths["/v1/shares"]!.post!.security).toBeUndefined();
    expect(paths["/v1/shares/{id}"]!.delete!.requestBody).toBeDefined();
    expect(paths["/v1/presentation-requests"]!.post!.requestBody).toBeDefined();
    expect(paths["/v1/presentation-requests/{id}/response"]!.post!.requestBody).toBeDefined();
    expect(paths["/v1/presentation-requests/{id}"]!.get!.security).toEqual([{ bearer: [] }]);
  });
});

describe("request logs", () => {
  it("never hold a credential, a share id or a request id", async () => {
    const { redactUrl } = await import("@meritlog/server");
    expect(redactUrl("/verify/?credential=eyJhbGciOi.eyJzdWIiOi.sig")).toBe("/verify/?[redacted]");
    expect(redactUrl("/verify?vp=eyJ")).toBe("/verify?[redacted]");
    expect(redactUrl("/s/AbCdEfGhIjKlMnOpQrStUv")).toBe("/s/[redacted]");
    expect(redactUrl("/v1/shares/AbCdEfGhIjKlMnOpQrStUv")).toBe("/v1/shares/[redacted]");
    expect(redactUrl("/v1/presentation-requests/AbCdEfGhIjKlMnOpQrStUv/response")).toBe(
      "/v1/presentation-requests/[redacted]/response",
    );
    expect(redactUrl("/oid4vp/requests/AbCdEfGhIjKlMnOpQrStUv")).toBe("/oid4vp/requests/[redacted]");
    expect(redactUrl("/v1/verify")).toBe("/v1/verify");
  });
});
