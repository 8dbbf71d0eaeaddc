import { describe, expect, it } from "vitest";
import { createPublicKey, verify } from "node:crypto";
import { claimOffer, type Fetch } from "../src/claim.js";
import { MemoryStore } from "../src/kv-store.js";
import { createWallet } from "../src/keystore.js";
import { PRE_AUTHORIZED_GRANT } from "../src/offer.js";

// A scripted OpenID4VCI issuer behind a fake fetch: checks what the wallet sends at each step.
const ISS = "https://issuer.example";
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const decode = (s: string) => JSON.parse(Buffer.from(s, "base64url").toString()) as Record<string, unknown>;

interface Script {
  meta?: Record<string, unknown>;
  asMeta?: Record<string, unknown>;
  offerStatus?: number;
  tokenError?: string;
  nonceErrorsFirst?: boolean;
  txCode?: boolean;
}

function issuer(s: Script, holderPk: () => Uint8Array) {
  const calls: string[] = [];
  const proofs: { header: Record<string, unknown>; payload: Record<string, unknown> }[] = [];
  const txCodes: string[] = [];
  let nonceFailures = s.nonceErrorsFirst ? 1 : 0;
  const fetchFn: Fetch = async (url, init) => {
    const u = new URL(url);
    calls.push(`${init?.method ?? "GET"} ${u.pathname}`);
    if (u.pathname === "/oid4vci/offers/o1") {
      if (s.offerStatus) return json(s.offerStatus, { error: "invalid_request" });
      return json(200, {
        credential_issuer: ISS,
        credential_configuration_ids: ["MicroCredential"],
        grants: {
          [PRE_AUTHORIZED_GRANT]: {
            "pre-authorized_code": "code-1",
            ...(s.txCode ? { tx_code: { length: 4 } } : {}),
          },
        },
      });
    }
    if (u.pathname === "/.well-known/openid-credential-issuer") {
      return json(
        200,
        s.meta ?? {
          credential_issuer: ISS,
          credential_endpoint: `${ISS}/oid4vci/credential`,
          nonce_endpoint: `${ISS}/oid4vci/nonce`,
          token_endpoint: `${ISS}/oid4vci/token`,
        },
      );
    }
    if (u.pathname === "/.well-known/oauth-authorization-server")
      return s.asMeta ? json(200, s.asMeta) : json(404, {});
    if (u.pathname === "/oid4vci/token" || u.pathname === "/as/token") {
      expect(new Headers(init?.headers).get("content-type")).toBe("application/x-www-form-urlencoded");
      const form = new URLSearchParams(String(init?.body));
      expect(form.get("grant_type")).toBe(PRE_AUTHORIZED_GRANT);
      expect(form.get("pre-authorized_code")).toBe("code-1");
      if (form.has("tx_code")) txCodes.push(form.get("tx_code")!);
      if (s.tokenError) return json(400, { error: s.tokenError, error_description: "nope" });
      return json(200, { access_token: "at-1", token_type: "Bearer", expires_in: 300, c_nonce: "nonce-1" });
    }
    if (u.pathname === "/oid4vci/credential") {
      expect(new Headers(init?.headers).get("authorization")).toBe("Bearer at-1");
      const body = JSON.parse(String(init?.body)) as {
        credential_configuration_id: string;
        proofs: { jwt: string[] };
      };
      expect(body.credential_configuration_id).toBe("MicroCredential");
      const [h, p, sig] = body.proofs.jwt[0]!.split(".") as [string, string, string];
      const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), holderPk()]);
      expect(
        verify(
          null,
          Buffer.from(`${h}.${p}`),
          createPublicKey({ key: spki, format: "der", type: "spki" }),
          Buffer.from(sig, "base64url"),
        ),
      ).toBe(true);
      proofs.push({ header: decode(h), payload: decode(p) });
      if (nonceFailures-- > 0) return json(400, { error: "invalid_nonce", c_nonce: "nonce-2" });
      return json(200, {
        credentials: [{ credential: "h.p.s" }],
        receipt: { origin: "o", leafIndex: 1, entry: "{}", inclusionProof: [], checkpoint: "cp" },
      });
    }
    return json(404, {});
  };
  return { fetchFn, calls, proofs, txCodes };
}

async function holder() {
  return createWallet(new MemoryStore(), "correct horse battery", { iterations: 2_000 });
}

describe("claim flow (OpenID4VCI 1.0 pre-authorized code)", () => {
  it("runs offer → metadata → token → credential with a key proof over the c_nonce", async () => {
    const w = await holder();
    const iss = issuer({}, () => w.publicKey);
    const r = await claimOffer({ kind: "reference", uri: `${ISS}/oid4vci/offers/o1` }, w, {
      fetch: iss.fetchFn,
    });
    expect(r).toMatchObject({
      jwt: "h.p.s",
      credentialIssuer: ISS,
      configurationId: "MicroCredential",
      receipt: { leafIndex: 1 },
    });
    expect(iss.calls).toEqual([
      "GET /oid4vci/offers/o1",
      "GET /.well-known/openid-credential-issuer",
      "POST /oid4vci/token",
      "POST /oid4vci/credential",
    ]);
    expect(iss.proofs[0]!.header).toEqual({
      typ: "openid4vci-proof+jwt",
      alg: "EdDSA",
      kid: `${w.did}#${w.did.slice(8)}`,
    });
    expect(iss.proofs[0]!.payload).toMatchObject({ aud: ISS, nonce: "nonce-1" });
    expect(iss.proofs[0]!.payload.iss).toBeUndefined();
  });

  it("retries once with the fresh c_nonce of an invalid_nonce answer", async () => {
    const w = await holder();
    const iss = issuer({ nonceErrorsFirst: true }, () => w.publicKey);
    await claimOffer({ kind: "reference", uri: `${ISS}/oid4vci/offers/o1` }, w, { fetch: iss.fetchFn });
    expect(iss.proofs.map((p) => p.payload.nonce)).toEqual(["nonce-1", "nonce-2"]);
  });

  it("finds the token endpoint in RFC 8414 metadata when the issuer metadata does not name it", async () => {
    const w = await holder();
    const iss = issuer(
      {
        meta: { credential_issuer: ISS, credential_endpoint: `${ISS}/oid4vci/credential` },
        asMeta: { issuer: ISS, token_endpoint: `${ISS}/as/token` },
      },
      () => w.publicKey,
    );
    await claimOffer({ kind: "reference", uri: `${ISS}/oid4vci/offers/o1` }, w, { fetch: iss.fetchFn });
    expect(iss.calls).toContain("POST /as/token");
  });

  it("explains refusals in plain words with the OAuth code", async () => {
    const w = await holder();
    const used = issuer({ tokenError: "invalid_grant" }, () => w.publicKey);
    await expect(
      claimOffer({ kind: "reference", uri: `${ISS}/oid4vci/offers/o1` }, w, { fetch: used.fetchFn }),
    ).rejects.toMatchObject({
      code: "claim.refused",
      message: expect.stringMatching(/already been used or has expired.*invalid_grant/),
    });
    const gone = issuer({ offerStatus: 404 }, () => w.publicKey);
    await expect(
      claimOffer({ kind: "reference", uri: `${ISS}/oid4vci/offers/o1` }, w, { fetch: gone.fetchFn }),
    ).rejects.toMatchObject({ code: "claim.refused" });
    const tx = issuer({ txCode: true }, () => w.publicKey);
    await expect(
      claimOffer({ kind: "reference", uri: `${ISS}/oid4vci/offers/o1` }, w, { fetch: tx.fetchFn }),
    ).rejects.toMatchObject({ code: "offer.unsupported" });
    // With a way to ask, the code the person types goes to the token endpoint as tx_code (§6.1).
    const asked: unknown[] = [];
    const tx2 = issuer({ txCode: true }, () => w.publicKey);
    const r = await claimOffer({ kind: "reference", uri: `${ISS}/oid4vci/offers/o1` }, w, {
      fetch: tx2.fetchFn,
      askTxCode: async (spec) => (asked.push(spec), " 4821 "),
    });
    expect(asked).toEqual([{ length: 4 }]);
    expect(tx2.txCodes).toEqual(["4821"]);
    expect(r.jwt).toBe("h.p.s");
    await expect(
      claimOffer({ kind: "reference", uri: `${ISS}/oid4vci/offers/o1` }, w, {
        fetch: issuer({ txCode: true }, () => w.publicKey).fetchFn,
        askTxCode: async () => null,
      }),
    ).rejects.toMatchObject({ code: "claim.refused" });
    const other = issuer(
      { meta: { credential_issuer: "https://evil.example", credential_endpoint: "https://evil.example/c" } },
      () => w.publicKey,
    );
    await expect(
      claimOffer({ kind: "reference", uri: `${ISS}/oid4vci/offers/o1` }, w, { fetch: other.fetchFn }),
    ).rejects.toMatchObject({ code: "claim.malformed_response" });
    const down: Fetch = () => Promise.reject(new TypeError("fetch failed"));
    await expect(
      claimOffer({ kind: "reference", uri: `${ISS}/oid4vci/offers/o1` }, w, { fetch: down }),
    ).rejects.toMatchObject({ code: "claim.http" });
  });
});
