// The wallet's side of sharing: holder proofs, request links, and where an answer may be sent.
import { describe, expect, it } from "vitest";
import * as ed from "@noble/ed25519";
import { answerRequest, fetchRequest, holderProof, requestUriOf } from "../src/sharing.js";
import { didKeyFromPublicKey } from "../src/did-key.js";
import { WalletError } from "../src/errors.js";

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const b64json = (part: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;

describe("holder proof", () => {
  it("is an EdDSA JWS by the holder's did:key over aud, credentialId, iat and a fresh nonce", async () => {
    const sk = ed.utils.randomSecretKey();
    const pk = await ed.getPublicKeyAsync(sk);
    const did = didKeyFromPublicKey(pk);
    const holder = { did, sign: (m: Uint8Array) => ed.signAsync(m, sk) };
    const now = new Date("2026-11-30T12:00:00Z");
    const a = await holderProof(holder, "https://meritlog.example", "urn:uuid:1", now);
    const b = await holderProof(holder, "https://meritlog.example", "urn:uuid:1", now);
    const [h, p, s] = a.split(".");
    expect(b64json(h!)).toEqual({ alg: "EdDSA", kid: `${did}#${did.slice(8)}`, typ: "JWT" });
    const payload = b64json(p!);
    expect(payload).toMatchObject({
      aud: "https://meritlog.example",
      credentialId: "urn:uuid:1",
      iat: now.getTime() / 1000,
    });
    expect(payload.nonce).not.toBe(b64json(b.split(".")[1]!).nonce);
    expect(
      await ed.verifyAsync(Buffer.from(s!, "base64url"), new TextEncoder().encode(`${h}.${p}`), pk),
    ).toBe(true);
  });
});

describe("requests", () => {
  it("reads the request_uri from a wallet link", () => {
    const uri = "https://v.example/oid4vp/requests/abc";
    expect(requestUriOf(`https://v.example/wallet/#request_uri=${encodeURIComponent(uri)}`)).toBe(uri);
    expect(requestUriOf(uri)).toBe(uri);
    expect(() => requestUriOf("hello")).toThrow(WalletError);
    expect(() => requestUriOf("https://v.example/wallet/#request_uri=javascript:alert(1)")).toThrow(
      WalletError,
    );
  });

  it("refuses a request whose answer would go to another site", async () => {
    const ro = {
      nonce: "n".repeat(16),
      audience: "https://v.example",
      purpose: "Hiring",
      client_id: "https://v.example",
      response_uri: "https://evil.example/collect",
    };
    await expect(fetchRequest("https://v.example/oid4vp/requests/abc", async () => json(ro))).rejects.toThrow(
      /another site/,
    );
    const ok = await fetchRequest("https://v.example/oid4vp/requests/abc", async () =>
      json({
        ...ro,
        response_uri: "https://v.example/v1/presentation-requests/abc/response",
        types: ["MicroCredential"],
      }),
    );
    expect(ok.types).toEqual(["MicroCredential"]);
    let posted: { url: string; body: unknown } | undefined;
    const verdict = await answerRequest(ok, "vp.jwt.sig", async (url, init) => {
      posted = { url, body: JSON.parse(String(init?.body)) };
      return json({ report: { verdict: "valid" } });
    });
    expect(posted).toEqual({
      url: "https://v.example/v1/presentation-requests/abc/response",
      body: { presentation: "vp.jwt.sig" },
    });
    expect(verdict.verdict).toBe("valid");
  });

  it("says why a request could not be answered", async () => {
    const r = {
      requestUri: "https://v.example/r",
      clientId: "https://v.example",
      responseUri: "https://v.example/resp",
      nonce: "n",
      audience: "a",
      purpose: "p",
    };
    await expect(
      answerRequest(r, "vp", async () =>
        json(
          { code: "presentation_request.answered", detail: "This request has already been answered." },
          409,
        ),
      ),
    ).rejects.toThrow("already been answered");
  });
});
