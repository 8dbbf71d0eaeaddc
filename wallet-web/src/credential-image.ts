/**
 * The Open Badges 3.0 image of a credential (OB 3.0 §B.1.1 Achievement `image`, and the
 * credential's own `image`: an Image object `{id, type: "Image", caption?}` or a bare URI).
 * Shown only when safe: a raster `data:` URI of at most 64 KB (no SVG: it can carry script and
 * external references), or an https URL that the wallet fetches itself (bounded size, raster type,
 * optional SRI digest checked) and shows as a `blob:` URL, so the page's CSP (img-src 'self' data:
 * blob:) never has to allow other origins and the issuer's server does not see the page load.
 */

/** Largest image accepted, as data URI text or as fetched bytes. */
export const MAX_IMAGE_BYTES = 64 * 1024;
const RASTER = /^image\/(png|jpeg|gif|webp|avif)$/;
const DATA_URI = /^data:(image\/(?:png|jpeg|gif|webp|avif));base64,[A-Za-z0-9+/]+={0,2}$/;

export interface CredentialImage {
  /** `data:` URI (usable as is) or `https:` URL (fetch with {@link fetchImage} first). */
  src: string;
  kind: "data" | "https";
  caption?: string;
  /** `sha256-<base64>` (SRI) the fetched bytes must match, when the issuer gave one. */
  digestSRI?: string;
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function asImage(v: unknown): CredentialImage | undefined {
  const o = typeof v === "string" ? { id: v } : obj(v);
  const src = typeof o.id === "string" ? o.id.trim() : "";
  const out = (kind: CredentialImage["kind"]): CredentialImage => {
    const img: CredentialImage = { src, kind };
    if (typeof o.caption === "string" && o.caption.trim()) img.caption = o.caption.trim().slice(0, 200);
    if (typeof o.digestSRI === "string" && /^sha256-[A-Za-z0-9+/]{43}=$/.test(o.digestSRI))
      img.digestSRI = o.digestSRI;
    return img;
  };
  if (src.startsWith("data:"))
    return src.length <= MAX_IMAGE_BYTES && DATA_URI.test(src) ? out("data") : undefined;
  try {
    const u = new URL(src);
    return u.protocol === "https:" && !u.username && !u.password ? out("https") : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The achievement's image, else the credential's own; undefined when absent or unsafe. An https
 * image's digest may sit in the credential's `relatedResource` (VC Data Model 2.0 §5.3), which is
 * where meritlog writes it (OB 3.0's Image object admits no digest member).
 */
export function credentialImage(cred: Record<string, unknown>): CredentialImage | undefined {
  const achievement = obj(obj(cred.credentialSubject).achievement);
  const img = asImage(achievement.image) ?? asImage(cred.image);
  if (img?.kind === "https" && !img.digestSRI) {
    const rel = Array.isArray(cred.relatedResource) ? cred.relatedResource.map(obj) : [];
    const d = rel.find((r) => r.id === img.src)?.digestSRI;
    if (typeof d === "string" && /^sha256-[A-Za-z0-9+/]{43}=$/.test(d)) img.digestSRI = d;
  }
  return img;
}

/**
 * Fetches an https image without cookies or referrer and returns a `blob:` URL, or undefined when
 * it is too large, not a raster image, or does not match its digest. The caller revokes the URL.
 */
export async function fetchImage(
  img: CredentialImage,
  fetchFn: (url: string, init: RequestInit) => Promise<Response> = (u, i) => fetch(u, i),
): Promise<string | undefined> {
  if (img.kind !== "https") return undefined;
  try {
    const res = await fetchFn(img.src, {
      credentials: "omit",
      referrerPolicy: "no-referrer",
      cache: "force-cache",
    });
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!res.ok || !RASTER.test(type)) return undefined;
    if (Number(res.headers.get("content-length") ?? 0) > MAX_IMAGE_BYTES) return undefined;
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > MAX_IMAGE_BYTES) return undefined;
    if (img.digestSRI) {
      const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      if (`sha256-${btoa(String.fromCharCode(...d))}` !== img.digestSRI) return undefined;
    }
    return URL.createObjectURL(new Blob([bytes], { type }));
  } catch {
    return undefined;
  }
}
