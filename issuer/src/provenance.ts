/**
 * Artifact lookup (issue 14; docs/API.md "Provenance"): every claim this service's log holds
 * about a file (MPU authorship, attribution, anchors, endorsements), each with its state and the
 * receipt that verifies offline, and the conflicts between them named in plain words (two issuers
 * naming different sole authors; authorship claimed after an earlier anchor by someone else).
 */
import { IssuerError } from "./errors.js";
import { sriHex, type Receipt } from "./anchors.js";
import type { ServiceContext } from "./context.js";
import type { ProvenanceKind, ProvenanceRef } from "./provenance-store.js";

/** One claim about the artifact (`GET /v1/provenance` `records[]`). */
export interface ProvenanceRecord {
  kind: ProvenanceKind;
  credentialId?: string;
  /** The issuer's DID, as the log entry names it. */
  issuer: string;
  issuerName?: string;
  at: string;
  leafIndex: number;
  /** The claim's current state; `anchored` for an artifact anchor (it has no lifecycle). */
  state: string;
  receipt: Receipt;
}

/** `GET /v1/provenance` response. */
export interface ProvenanceReport {
  /** Hex SHA-256 of the artifact. */
  digest: string;
  records: ProvenanceRecord[];
  /** Plain sentences; empty when the claims agree. */
  conflicts: string[];
}

/**
 * The hex SHA-256 of a digest given as hex (either case) or `sha256-<base64>` SRI.
 * @throws IssuerError `request.invalid` for anything else
 */
export function artifactDigest(input: unknown): string {
  if (typeof input === "string") {
    if (/^[0-9a-fA-F]{64}$/.test(input)) return input.toLowerCase();
    const hex = input.startsWith("sha256-") ? sriHex(input) : undefined;
    if (hex) return hex;
  }
  throw new IssuerError(
    "request.invalid",
    "digest must be a SHA-256 as 64 hex characters or as sha256-<base64> (SRI)",
    { path: "digest" },
  );
}

/** The `mpu.authors` ids of an MPUAuthorship credential JWT (the issuer's own record, never logged). */
function authorsOfJwt(jwt: string): string[] {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      credentialSubject?: { mpu?: { authors?: { id?: unknown }[] } };
    };
    return (payload.credentialSubject?.mpu?.authors ?? [])
      .map((a) => a.id)
      .filter((x): x is string => typeof x === "string");
  } catch {
    return [];
  }
}

/** The provenance of an artifact. @throws IssuerError `request.invalid` for a malformed digest */
export async function provenanceOf(ctx: ServiceContext, digestInput: unknown): Promise<ProvenanceReport> {
  const digest = artifactDigest(digestInput);
  const refs: ProvenanceRef[] = ctx.provenance ? await ctx.provenance.list(digest) : [];
  // Anchors made before the provenance index existed are in the digest index (one per digest).
  const old = await ctx.records.findByDigest(digest);
  if (old?.kind === "anchor" && !refs.some((r) => r.leafIndex === old.receipt.leafIndex)) {
    refs.push({ kind: "anchor", issuerId: old.issuerId, at: "", leafIndex: old.receipt.leafIndex });
  }
  refs.sort((a, b) => a.leafIndex - b.leafIndex);

  const names = new Map(ctx.registry.list().map((i) => [i.id, i.name] as const));
  const records: ProvenanceRecord[] = [];
  const soleAuthors: { issuerId: string; author: string; at: string }[] = [];
  for (const ref of refs) {
    let state = "anchored";
    let receipt: Receipt | undefined;
    let issuer = ctx.registry.get(ref.issuerId)?.did ?? "";
    let at = ref.at;
    if (ref.credentialId !== undefined) {
      const rec = await ctx.records.get(ref.credentialId);
      if (!rec) continue;
      state = rec.state;
      receipt = rec.history[0]?.receipt;
      issuer = rec.issuerDid;
      at = rec.createdAt;
      if (ref.kind === "authorship") {
        const authors = authorsOfJwt(rec.jwt);
        if (authors.length === 1 && (rec.state === "active" || rec.state === "suspended"))
          soleAuthors.push({ issuerId: rec.issuerId, author: authors[0]!, at });
      }
    } else {
      receipt = ref.receipt ?? (old?.receipt.leafIndex === ref.leafIndex ? old.receipt : undefined);
      if (receipt && at === "") at = entryAt(receipt) ?? "";
      if (receipt) issuer = entryIssuer(receipt) ?? issuer;
    }
    if (!receipt) continue;
    const name = names.get(ref.issuerId);
    records.push({
      kind: ref.kind,
      ...(ref.credentialId !== undefined ? { credentialId: ref.credentialId } : {}),
      issuer,
      ...(name !== undefined ? { issuerName: name } : {}),
      at,
      leafIndex: ref.leafIndex,
      state,
      receipt,
    });
  }
  return { digest, records, conflicts: conflictsOf(records, soleAuthors, names) };
}

function entryField(receipt: Receipt, field: "at" | "issuer"): string | undefined {
  try {
    const v = (JSON.parse(receipt.entry) as Record<string, unknown>)[field];
    return typeof v === "string" ? v : undefined;
  } catch {
    return undefined;
  }
}
const entryAt = (r: Receipt) => entryField(r, "at");
const entryIssuer = (r: Receipt) => entryField(r, "issuer");

const day = (iso: string): string => iso.slice(0, 10);

/** The conflicts among an artifact's claims, in plain words (no holder DID is named). */
function conflictsOf(
  records: ProvenanceRecord[],
  soleAuthors: { issuerId: string; author: string; at: string }[],
  names: Map<string, string>,
): string[] {
  const out: string[] = [];
  const who = (issuerId: string) => names.get(issuerId) ?? "an unregistered issuer";
  // Two issuers, each naming one sole author, and not the same person.
  for (let i = 0; i < soleAuthors.length; i++) {
    for (let j = i + 1; j < soleAuthors.length; j++) {
      const a = soleAuthors[i]!;
      const b = soleAuthors[j]!;
      if (a.issuerId !== b.issuerId && a.author !== b.author)
        out.push(
          `${who(a.issuerId)} (on ${day(a.at)}) and ${who(b.issuerId)} (on ${day(b.at)}) each name a different person as the sole author of this file.`,
        );
    }
  }
  // Authorship recorded by one issuer after another issuer had already anchored the file.
  const firstAnchor = records.find((r) => r.kind === "anchor");
  if (firstAnchor) {
    for (const r of records) {
      if (r.kind !== "authorship" || r.leafIndex < firstAnchor.leafIndex || r.issuer === firstAnchor.issuer)
        continue;
      out.push(
        `Authorship was claimed by ${r.issuerName ?? r.issuer} on ${day(r.at)}, after ${firstAnchor.issuerName ?? firstAnchor.issuer} had already anchored this file on ${day(firstAnchor.at)}.`,
      );
    }
  }
  return out;
}
