// The wallet's side of co-signing (issue 14): reading a sign link, signing exactly the statement
// shown (or a refusal naming its digest) with the holder key, and where it may be sent.
import { describe, expect, it } from "vitest";
import * as ed from "@noble/ed25519";
import { decideCosign, parseCosignLink, readCosign, type MpuProgress } from "../src/cosign.js";
import { didKeyFromPublicKey } from "../src/did-key.js";
import { WalletError } from "../src/errors.js";

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const b64json = (part: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;

const MPU_URL = "https://meritlog.example/v1/mpus/urn:uuid:0190f3a4-0000-7000-8000-000000000001";
const link = `https://meritlog.example/wallet/#mpu=${encodeURIComponent(MPU_URL)}&key=s3cr3t-key`;

async function holder() {
  const sk = ed.utils.randomSecretKey();
  const pk = await ed.getPublicKeyAsync(sk);
  return { did: didKeyFromPublicKey(pk), pk, sign: (m: Uint8Array) => ed.signAsync(m, sk) };
}

function progress(authors: string[]): MpuProgress {
  return {
    state: "open",
    statement: {
      type: "MPUCoAuthorshipStatement",
      issuer: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
      mpu: { title: "Rainfall log", authors: authors.map((id) => ({ id, role: "co-author" })) },
    },
    statementDigest: "ab".repeat(32),
    signed: 0,
    of: authors.length,
    signatures: [],
  };
}

describe("co-signing links", () => {
  it("reads the MPU address and key from a sign link, and nothing from other links", () => {
    expect(parseCosignLink(link)).toEqual({ url: MPU_URL, key: "s3cr3t-key" });
    expect(parseCosignLink("https://meritlog.example/wallet/#offer=x")).toBeUndefined();
    expect(parseCosignLink("")).toBeUndefined();
  });

  it("reads the progress with the key, and refuses an insecure address before fetching", async () => {
    const asked: string[] = [];
    const p = progress(["did:key:a"]);
    const got = await readCosign(parseCosignLink(link)!, async (u) => (asked.push(u), json(p)));
    expect(asked).toEqual([`${MPU_URL}?key=s3cr3t-key`]);
    expect(got).toEqual(p);
    await expect(
      readCosign({ url: "http://evil.example/v1/mpus/x", key: "k" }, async () => json(p)),
    ).rejects.toBeInstanceOf(WalletError);
  });

  it("a refusal from the service carries its problem detail", async () => {
    const err = await readCosign(parseCosignLink(link)!, async () =>
      json({ code: "mpu.not_found", detail: "no co-authored MPU" }, 404),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "cosign.refused", message: "no co-authored MPU" });
  });
});

describe("signing and declining", () => {
  it("signs exactly the statement shown, with the holder's did:key as kid", async () => {
    const h = await holder();
    const p = progress([h.did]);
    let sent: { url: string; body: { jws: string } } | undefined;
    await decideCosign(parseCosignLink(link)!, p, h, async (u, i) => {
      sent = { url: u, body: JSON.parse(String(i?.body)) as { jws: string } };
      return json({ ...p, signed: 1 });
    });
    expect(sent!.url).toBe(`${MPU_URL}/signatures`);
    const [hd, pl, sig] = sent!.body.jws.split(".");
    expect(b64json(hd!)).toEqual({ alg: "EdDSA", kid: `${h.did}#${h.did.slice(8)}` });
    expect(b64json(pl!)).toEqual(p.statement);
    expect(
      await ed.verifyAsync(Buffer.from(sig!, "base64url"), new TextEncoder().encode(`${hd}.${pl}`), h.pk),
    ).toBe(true);
  });

  it("declines with a JWS naming the statement's digest and the reason", async () => {
    const h = await holder();
    const p = progress([h.did]);
    let sent: { url: string; jws: string } | undefined;
    await decideCosign(
      parseCosignLink(link)!,
      p,
      h,
      async (u, i) => {
        sent = { url: u, jws: (JSON.parse(String(i?.body)) as { jws: string }).jws };
        return json({ ...p, state: "declined" });
      },
      "Not my work.",
    );
    expect(sent!.url).toBe(`${MPU_URL}/declines`);
    expect(b64json(sent!.jws.split(".")[1]!)).toEqual({
      type: "MPUCoAuthorshipDecline",
      statement: p.statementDigest,
      reason: "Not my work.",
    });
  });
});
