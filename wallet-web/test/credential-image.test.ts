import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { credentialImage, fetchImage, MAX_IMAGE_BYTES } from "../src/credential-image.js";

// A 1×1 PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const DATA = `data:image/png;base64,${PNG.toString("base64")}`;
const cred = (image: unknown, own?: unknown) => ({
  credentialSubject: { achievement: { name: "x", image } },
  ...(own !== undefined ? { image: own } : {}),
});

describe("credential images (OB 3.0 Achievement.image)", () => {
  it("accepts a raster data URI and an https Image object, caption and digest kept", () => {
    expect(credentialImage(cred(DATA))).toEqual({ src: DATA, kind: "data" });
    const digest = `sha256-${createHash("sha256").update(PNG).digest("base64")}`;
    expect(
      credentialImage(
        cred({ id: "https://img.example/b.png", type: "Image", caption: "A pump", digestSRI: digest }),
      ),
    ).toEqual({ src: "https://img.example/b.png", kind: "https", caption: "A pump", digestSRI: digest });
    // The credential's own image when the achievement has none.
    expect(credentialImage(cred(undefined, DATA))?.kind).toBe("data");
  });

  it("takes an https image's digest from relatedResource, the shape meritlog issues (VC 2.0 §5.3)", () => {
    const digest = `sha256-${createHash("sha256").update(PNG).digest("base64")}`;
    const url = "https://img.example/b.png";
    const issued = {
      ...cred({ id: url, type: "Image", caption: "A pump" }),
      relatedResource: [
        { id: "https://other.example/x", digestSRI: `sha256-${"A".repeat(43)}=` },
        { id: url, digestSRI: digest },
      ],
    };
    expect(credentialImage(issued)).toEqual({
      src: url,
      kind: "https",
      caption: "A pump",
      digestSRI: digest,
    });
    // No entry for this URL: no digest, and a malformed one is ignored.
    expect(
      credentialImage({ ...issued, relatedResource: [{ id: url, digestSRI: "md5-x" }] })?.digestSRI,
    ).toBe(undefined);
  });

  it("refuses SVG, script, http, oversized and malformed sources", () => {
    for (const bad of [
      "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
      "data:text/html;base64,PGI+",
      "javascript:alert(1)",
      "http://img.example/b.png",
      "https://user:pw@img.example/b.png",
      `data:image/png;base64,${"A".repeat(MAX_IMAGE_BYTES)}`,
      "data:image/png;base64,not base64!",
      "not a url",
      42,
    ])
      expect(credentialImage(cred(bad)), String(bad).slice(0, 40)).toBeUndefined();
  });

  it("fetches https images without credentials or referrer, and checks type, size and digest", async () => {
    const digest = `sha256-${createHash("sha256").update(PNG).digest("base64")}`;
    const seen: RequestInit[] = [];
    const serve =
      (body: Uint8Array, type = "image/png") =>
      async (_u: string, init: RequestInit) => {
        seen.push(init);
        return new Response(new Uint8Array(body).buffer, { headers: { "content-type": type } });
      };
    const img = { src: "https://img.example/b.png", kind: "https" as const, digestSRI: digest };
    const url = await fetchImage(img, serve(PNG));
    expect(url).toMatch(/^blob:/);
    expect(seen[0]).toMatchObject({ credentials: "omit", referrerPolicy: "no-referrer" });
    expect(await fetchImage(img, serve(new Uint8Array([...PNG, 0])))).toBeUndefined(); // digest differs
    expect(await fetchImage(img, serve(PNG, "image/svg+xml"))).toBeUndefined();
    expect(await fetchImage(img, serve(new Uint8Array(MAX_IMAGE_BYTES + 1)))).toBeUndefined();
    expect(
      await fetchImage(img, async () => {
        throw new TypeError("offline");
      }),
    ).toBeUndefined();
  });
});
