/**
 * The badge image an issuer gives with a MicroCredential (issue 12 "Open Badges images"): its
 * shape (zod) and the rules a safe image keeps, checked after the shape (parse-request.ts) so a
 * refused image has its own code, `schema.image_refused`.
 */
import { z } from "zod";
import { LIMITS, digestSRI, text } from "./fields.js";

/** The largest achievement image a credential carries: the `data:` URI text, or the bytes behind an https URL. */
export const MAX_IMAGE_BYTES = 64 * 1024;

// Raster types only: an SVG can carry script and external references, so it is refused rather
// than trusted to be shown through <img> everywhere the credential travels.
const IMAGE_DATA_URI = /^data:(image\/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/]+={0,2})$/;
// The first bytes of each accepted type (PNG §5.2 signature, JPEG SOI + marker, GIF8, RIFF…WEBP),
// so a data: URI is the image type it declares.
const MAGIC: Readonly<Record<string, (b: string) => boolean>> = {
  "image/png": (b) => b.startsWith("\x89PNG\r\n\x1a\n"),
  "image/jpeg": (b) => b.startsWith("\xff\xd8\xff"),
  "image/gif": (b) => b.startsWith("GIF87a") || b.startsWith("GIF89a"),
  "image/webp": (b) => b.startsWith("RIFF") && b.slice(8, 12) === "WEBP",
};

/** Why an image `id` is refused, or undefined when it is acceptable (see {@link achievementImageSchema}). */
export function imageProblem(img: {
  id: string;
  digestSRI?: string | undefined;
}): { path: string; message: string } | undefined {
  const src = img.id;
  if (src.startsWith("data:")) {
    if (src.length > MAX_IMAGE_BYTES)
      return { path: "id", message: `a data: image must be at most ${MAX_IMAGE_BYTES} characters (64 KB)` };
    const m = IMAGE_DATA_URI.exec(src);
    if (!m)
      return {
        path: "id",
        message:
          "a data: image must be base64 image/png, image/jpeg, image/gif or image/webp (SVG is refused: it can carry script)",
      };
    let head: string;
    try {
      head = atob(m[2]!.slice(0, 16));
    } catch {
      return { path: "id", message: "the data: image is not valid base64" };
    }
    if (!MAGIC[m[1]!]!(head)) return { path: "id", message: `the data: image is not a ${m[1]} file` };
    if (img.digestSRI !== undefined)
      return {
        path: "digestSRI",
        message: "a data: image is signed inside the credential; give digestSRI only for an https image",
      };
    return undefined;
  }
  if (src.length > LIMITS.uri) return { path: "id", message: `at most ${LIMITS.uri} characters` };
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return { path: "id", message: "must be an https URL or a data: image" };
  }
  if (
    url.protocol !== "https:" ||
    url.username ||
    url.password ||
    !/^https:\/\/[^/]/i.test(src) ||
    /\s/.test(src)
  )
    return { path: "id", message: "must be an https URL (without user or password) or a data: image" };
  if (img.digestSRI === undefined)
    return {
      path: "digestSRI",
      message:
        "an https image needs digestSRI, the SHA-256 of its bytes (VC Data Model 2.0 §5.3), so nobody can swap the picture after issuance",
    };
  return undefined;
}

/**
 * The Open Badges 3.0 Achievement `image` an issuer may give (OB 3.0 §B.1.1, Image §B.1.16): a raster
 * `data:` URI of at most 64 KB, or an https URL with the SHA-256 of its bytes (`digestSRI`, VC Data Model
 * 2.0 §5.3 "Integrity of Related Resources"). The credential carries `{id, type: "Image", caption?}`
 * and, for an https image, a `relatedResource` entry with the digest (OB 3.0's Image admits no other member).
 */
export const achievementImageSchema = z
  .strictObject({
    // Twice the limit here, so an image a little too large is told why (`schema.image_refused`).
    id: z
      .string()
      .max(2 * MAX_IMAGE_BYTES)
      .describe("https URL of the image, or a data: URI (PNG, JPEG, GIF or WebP, ≤ 64 KB)"),
    type: z.literal("Image").optional(),
    caption: text(LIMITS.name).optional().describe("Alternative text for the image"),
    digestSRI: digestSRI.optional().describe("SHA-256 of the image bytes; required for an https image"),
  })
  .describe("The badge image (Open Badges 3.0 Image)");
