// Open Badges images (issue 12): `achievement.image` given at issuance (single, batch, offer) is
// signed into the credential as an OB 3.0 Image, with an https image's digest in relatedResource
// (VC Data Model 2.0 §5.3); unsafe or unverifiable images are refused with `schema.image_refused`;
// /verify and share pages show a data: image through <img> under their unchanged CSP, in English
// and French, and pass axe-core at phone and desktop sizes. Screenshots in /tmp/images-i18n-*.png.
import { createHash, randomBytes } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder, type Holder } from "./helpers/did-key.js";
import { apiExamples, apiOfferExamples, type Body } from "./helpers/api-examples.js";
import { launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";

type Json = Record<string, unknown>;

/** A 48×48 RGB PNG (ISO/IEC 15948): a dark ring on white, so a screenshot shows it was drawn. */
function ringPng(): Buffer {
  const size = 48;
  const rows: number[] = [];
  for (let y = 0; y < size; y++) {
    rows.push(0); // filter type 0 (None)
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - 23.5, y - 23.5);
      const ink = r > 14 && r < 21;
      rows.push(...(ink ? [0x1d, 0x4e, 0x89] : [0xff, 0xff, 0xff]));
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.from(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const PNG = ringPng();
const DATA_URI = `data:image/png;base64,${PNG.toString("base64")}`;
const HTTPS_URL = "https://badges.example.org/pump.png";
const DIGEST = `sha256-${createHash("sha256").update(PNG).digest("base64")}`;
const CAPTION = "A blue ring: the hand-pump badge";
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

let server: RunningServer;
let token = "";
const holder = newHolder();

const withImage = (body: Body, image: Json): Body => {
  const b = structuredClone(body);
  (b.achievement as Json).image = image;
  return b;
};
const micro = (image: Json): Body => withImage(apiExamples(holder.did).microCredential(), image);

/** The credential inside an OB 3.0 VC-JWT (the payload less the registered claims), decoded by hand. */
function credentialOf(jwt: string): Json {
  const {
    iss: _i,
    sub: _s,
    jti: _j,
    nbf: _n,
    exp: _e,
    iat: _t,
    ...c
  } = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Json;
  return c;
}
const achievementOf = (jwt: string): Json =>
  (credentialOf(jwt).credentialSubject as { achievement: Json }).achievement;

beforeAll(async () => {
  server = await startServer();
  token = (
    (await call(server.url, "POST", "/v1/issuers", { token: ADMIN_TOKEN, body: { name: "Pump Academy" } }))
      .body as { token: string }
  ).token;
}, 60_000);
afterAll(async () => {
  await server?.close();
});

async function issue(body: Body): Promise<string> {
  const r = await call(server.url, "POST", "/v1/credentials", { token, body });
  expect(r.status, r.text).toBe(201);
  return (r.body as { jwt: string }).jwt;
}

describe("achievement.image at issuance", () => {
  it("signs a data: image into the credential as an OB 3.0 Image, and the credential verifies", async () => {
    const jwt = await issue(micro({ id: DATA_URI, caption: CAPTION }));
    expect(achievementOf(jwt).image).toEqual({ id: DATA_URI, type: "Image", caption: CAPTION });
    expect(credentialOf(jwt).relatedResource).toBeUndefined();
    const v = await call(server.url, "POST", "/v1/verify", { body: { credential: jwt } });
    expect((v.body as { verdict: string }).verdict).toBe("valid");
  });

  it("keeps an https image's digest in relatedResource, not in the Image (OB 3.0 Image has no such member)", async () => {
    const jwt = await issue(micro({ id: HTTPS_URL, type: "Image", digestSRI: DIGEST }));
    expect(achievementOf(jwt).image).toEqual({ id: HTTPS_URL, type: "Image" });
    expect(credentialOf(jwt).relatedResource).toEqual([{ id: HTTPS_URL, digestSRI: DIGEST }]);
    const v = await call(server.url, "POST", "/v1/verify", { body: { credential: jwt } });
    expect((v.body as { verdict: string }).verdict).toBe("valid");
  });

  it("refuses an unsafe or unverifiable image with 400 schema.image_refused and the field", async () => {
    const svg = `data:image/svg+xml;base64,${Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>").toString("base64")}`;
    for (const [image, path] of [
      [{ id: HTTPS_URL }, "achievement.image.digestSRI"],
      [{ id: svg }, "achievement.image.id"],
      [{ id: `data:image/jpeg;base64,${PNG.toString("base64")}` }, "achievement.image.id"],
      [{ id: `data:image/png;base64,${"A".repeat(70_000)}` }, "achievement.image.id"],
    ] as const) {
      const r = await call(server.url, "POST", "/v1/credentials", { token, body: micro(image) });
      expect(r.status, r.text).toBe(400);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
      expect(r.body).toMatchObject({ code: "schema.image_refused", path });
    }
  });

  it("accepts images per item in a batch, refusing only the bad item", async () => {
    const r = await call(server.url, "POST", "/v1/credentials/batch", {
      token,
      body: {
        items: [micro({ id: DATA_URI }), micro({ id: "http://badges.example.org/p.png", digestSRI: DIGEST })],
      },
    });
    expect(r.status, r.text).toBe(201);
    const [ok, bad] = (r.body as { results: { jwt?: string; error?: { code: string } }[] }).results;
    expect(achievementOf(ok!.jwt!).image).toEqual({ id: DATA_URI, type: "Image" });
    expect(bad!.error?.code).toBe("schema.image_refused");
  });

  it("carries an offer's image into the credential the wallet redeems", async () => {
    const offer = await call(server.url, "POST", "/v1/offers", {
      token,
      body: withImage(apiOfferExamples().microCredential, { id: DATA_URI, caption: CAPTION }),
    });
    expect(offer.status, offer.text).toBe(201);
    const refused = await call(server.url, "POST", "/v1/offers", {
      token,
      body: withImage(apiOfferExamples().microCredential, { id: HTTPS_URL }),
    });
    expect(refused.body).toMatchObject({ code: "schema.image_refused" });
    const jwt = await redeem((offer.body as { preAuthorizedCode: string }).preAuthorizedCode, newHolder());
    expect(achievementOf(jwt).image).toEqual({ id: DATA_URI, type: "Image", caption: CAPTION });
  });
});

/** OpenID4VCI pre-authorized code flow: token, then the credential bound to `h`. */
async function redeem(code: string, h: Holder): Promise<string> {
  const tok = await call(server.url, "POST", "/oid4vci/token", {
    body: { grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": code },
  });
  expect(tok.status, tok.text).toBe(200);
  const { access_token, c_nonce } = tok.body as { access_token: string; c_nonce: string };
  const proof = h.signJwt(
    { typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: h.kid },
    { aud: server.url, iat: Math.floor(Date.now() / 1000), nonce: c_nonce },
  );
  const cred = await call(server.url, "POST", "/oid4vci/credential", {
    token: access_token,
    body: { credential_configuration_id: "MicroCredential", proofs: { jwt: [proof] } },
  });
  expect(cred.status, cred.text).toBe(200);
  const b = cred.body as { credential?: string; credentials?: { credential: string }[] };
  return b.credentials?.[0]?.credential ?? b.credential!;
}

describe("the image on /verify and share pages", () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
  });

  async function open(locale: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: SIZES.phone, locale });
    contexts.push(ctx);
    const page = await ctx.newPage();
    const csp: string[] = [];
    page.on("console", (m) => {
      if (/Content.Security.Policy/i.test(m.text())) csp.push(m.text());
    });
    page.on("pageerror", (e) => csp.push(e.message));
    (page as unknown as { problems: string[] }).problems = csp;
    return page;
  }

  async function checkSizes(page: Page, name: string): Promise<void> {
    for (const [size, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      const v = await axeViolations(page);
      expect(v, `${name} (${size}): ${JSON.stringify(v, null, 1)}`).toEqual([]);
      await screenshot(page, { path: `/tmp/images-i18n-${name}-${size}.png`, fullPage: true });
    }
    expect((page as unknown as { problems: string[] }).problems).toEqual([]);
  }

  it("shows a data: image with its caption as alt text, in English and French", async () => {
    const jwt = await issue(micro({ id: DATA_URI, caption: CAPTION }));
    const page = await open("en-GB");
    await page.goto(`${server.url}/verify/#credential=${jwt}`);
    await expect
      .poll(() => page.locator(".verdict h2").textContent(), { timeout: 20_000 })
      .toBe("Credential: Valid");
    const img = page.locator("img.badge-image");
    expect(await img.getAttribute("alt")).toBe(CAPTION);
    expect(await img.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBe(48);
    await checkSizes(page, "verify-image-en");
    const fr = await open("fr-FR");
    await fr.goto(`${server.url}/verify/#credential=${jwt}`);
    await expect
      .poll(() => fr.locator(".verdict h2").textContent(), { timeout: 20_000 })
      .toBe("Attestation : Valide");
    expect(await fr.locator("img.badge-image").evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBe(
      48,
    );
    await checkSizes(fr, "verify-image-fr");
  }, 120_000);

  it("names an https image with its digest on a share page, without loading it; no caption gives a translated alt", async () => {
    const remote = await issue(micro({ id: HTTPS_URL, digestSRI: DIGEST }));
    const page = await open("fr-FR");
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    await page.goto(`${server.url}/verify/#credential=${remote}`);
    await expect
      .poll(() => page.locator(".verdict h2").textContent(), { timeout: 20_000 })
      .toBe("Attestation : Valide");
    expect(await page.locator("img.badge-image").count()).toBe(0);
    expect(await page.locator("main").textContent()).toContain(
      `Image du badge à l'adresse ${HTTPS_URL} (SHA-256 ${DIGEST})`,
    );
    expect(requested.filter((u) => u.startsWith("https://badges.example.org"))).toEqual([]);
    await checkSizes(page, "verify-remote-image-fr");

    // A share page of a data: image without caption: alt text from the catalogue.
    const jwt = await issue(micro({ id: DATA_URI }));
    const credentialId = (credentialOf(jwt).id as string) ?? "";
    const proof = holder.signJwt(
      { alg: "EdDSA", kid: holder.kid, typ: "JWT" },
      {
        aud: server.url,
        credentialId,
        iat: Math.floor(Date.now() / 1000),
        nonce: randomBytes(16).toString("base64url"),
      },
    );
    const shared = await call(server.url, "POST", "/v1/shares", { body: { credential: jwt, proof } });
    expect(shared.status, shared.text).toBe(201);
    await page.goto((shared.body as { url: string }).url);
    await expect
      .poll(() => page.locator(".verdict h2").textContent(), { timeout: 20_000 })
      .toBe("Attestation : Valide");
    expect(await page.locator("img.badge-image").getAttribute("alt")).toBe(
      "Image du badge de Hand-Pump Repair Guide Writing",
    );
    await checkSizes(page, "share-image-fr");
  }, 120_000);
});
