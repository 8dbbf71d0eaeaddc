import { toHex, tryFromBase64 } from "@meritlog/core";
import { nodeSha256Hex } from "@meritlog/core/node";
import { anchorRequestSchema, encodeLogEntry, parseInput, type LogEntry } from "@meritlog/schemas";
import type { AppendResult, Receipt } from "@meritlog/ledger";
import type { ServiceContext } from "./context.js";

export type { AppendResult, Receipt } from "@meritlog/ledger";

/**
 * What the issuer needs from the transparency log (`@meritlog/ledger`'s TransparencyLog fits).
 * `append` resolves only after the entry is durable and covered by a signed checkpoint.
 */
export interface AnchorLog {
  readonly origin: string;
  append(entry: Uint8Array): Promise<AppendResult>;
  receipt(entry: Uint8Array, result: AppendResult): Receipt;
}

/** Hex SHA-256 of a string's UTF-8 bytes or of bytes: the `digest` of log entries (node:crypto, core's node entry). */
export const sha256Hex: (data: string | Uint8Array) => string = nodeSha256Hex;

/** An RFC 3339 timestamp in UTC with second precision, as used for `at` in log entries. */
export function isoSeconds(d: Date): string {
  const iso = d.toISOString();
  // "YYYY-MM-DDTHH:MM:SS.sssZ": drop the milliseconds; other years (±YYYYYY) take the long way.
  if (iso.length === 24) return `${iso.slice(0, 19)}Z`;
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * Appends an entry (RFC 8785 canonical JSON via `encodeLogEntry`) and returns its receipt.
 * Resolves only after the log has made the entry durable and signed a checkpoint over it.
 * The entry carries digests and public identifiers only: never a holder DID or a free-text note.
 */
export async function anchorEntry(log: AnchorLog, entry: LogEntry): Promise<Receipt> {
  const bytes = encodeLogEntry(entry);
  const result = await log.append(bytes);
  return log.receipt(bytes, result);
}

/** A credential event entry (`kind` issue, suspend, …) made by this service from values it made itself. */
export interface CredentialEntryFields {
  kind: "issue" | "suspend" | "reinstate" | "revoke" | "supersede" | "renew" | "archive";
  credentialId: string;
  issuer: string;
  digest: string;
  at: string;
  /** Hex SHA-256 of the artifact an MPU authorship or attribution is about: makes it a version 2 entry (issue 14). */
  artifact?: string;
}

/**
 * The bytes `encodeLogEntry` gives for a credential entry (RFC 8785: members sorted by name,
 * strings as JSON.stringify writes them, `v` the integer 1), written out directly on the
 * issuance hot path instead of re-validating with zod and walking the object generically
 * (~15 µs per issuance). Only for values this service produced and already validated: a
 * `urn:uuid` id it generated, the issuer DID from its registry, a hex SHA-256 it computed, an
 * `isoSeconds` timestamp. The fixed member list means no other member can reach the log.
 * issuer/test/issue-entry.test.ts checks it byte for byte against `encodeLogEntry`.
 */
export function encodeCredentialEntry(e: CredentialEntryFields): Uint8Array {
  // Version 2 (docs/API.md "Provenance"): "artifact" sorts before "at" (RFC 8785 §3.2.3).
  if (e.artifact !== undefined)
    return Buffer.from(
      `{"artifact":${JSON.stringify(e.artifact)},"at":${JSON.stringify(e.at)},"credentialId":${JSON.stringify(e.credentialId)},"digest":${JSON.stringify(e.digest)},"issuer":${JSON.stringify(e.issuer)},"kind":${JSON.stringify(e.kind)},"v":2}`,
    );
  return Buffer.from(
    `{"at":${JSON.stringify(e.at)},"credentialId":${JSON.stringify(e.credentialId)},"digest":${JSON.stringify(e.digest)},"issuer":${JSON.stringify(e.issuer)},"kind":${JSON.stringify(e.kind)},"v":1}`,
  );
}

/** As {@link anchorEntry} for a credential entry encoded by {@link encodeCredentialEntry}. */
export async function anchorCredentialEntry(log: AnchorLog, entry: CredentialEntryFields): Promise<Receipt> {
  const bytes = encodeCredentialEntry(entry);
  const result = await log.append(bytes);
  return log.receipt(bytes, result);
}

/** `POST /v1/anchors` response: the artifact digest and the receipt of its `anchor` entry. */
export interface AnchorResult {
  digest: string;
  receipt: Receipt;
}

/** Hex SHA-256 of an SRI SHA-256 string (`sha256-<base64>`, W3C SRI §3.5); undefined for anything else. */
export function sriHex(sri: string): string | undefined {
  const m = /^sha256-([A-Za-z0-9+/]{43}=)$/.exec(sri);
  const bytes = m ? tryFromBase64(m[1]!) : undefined;
  return bytes && bytes.length === 32 ? toHex(bytes) : undefined;
}

/** An SRI SHA-256 digest (`sha256-<base64>`, W3C SRI §3.5) as the hex form log entries use. */
function sriToHex(input: unknown): unknown {
  const d = (input as { digest?: unknown } | null)?.digest;
  if (typeof d !== "string") return input;
  const m = /^sha256-([A-Za-z0-9+/]{43}=)$/.exec(d);
  const bytes = m ? tryFromBase64(m[1]!) : undefined;
  return bytes ? { ...(input as object), digest: toHex(bytes) } : input;
}

/**
 * Anchors an artifact digest (hex SHA-256, or `sha256-…` SRI) for provenance without a
 * credential: entry `{kind:"anchor", issuer, digest, at, v:1}` (+ `mediaType`). The free-text
 * note stays in the issuer's store and never enters the public, append-only log (docs/ARCHITECTURE.md
 * "Non-goals": no PII in the log; docs/API.md "Anchors"). The digest index then answers `findByDigest`.
 * @throws SchemaError `schema.invalid`; IssuerError `issuer.not_found`
 */
export async function anchorArtifact(
  ctx: ServiceContext,
  issuerId: string,
  input: unknown,
): Promise<AnchorResult> {
  const req = parseInput(anchorRequestSchema, sriToHex(input));
  const issuer = ctx.registry.require(issuerId);
  const at = isoSeconds(ctx.now());
  const receipt = await anchorEntry(ctx.log, {
    kind: "anchor",
    issuer: issuer.did,
    digest: req.digest,
    at,
    v: 1,
    ...(req.mediaType ? { mediaType: req.mediaType } : {}),
  });
  await ctx.writer.write([
    ...ctx.records.digestOps(req.digest, {
      kind: "anchor",
      issuerId,
      receipt,
      ...(req.note ? { note: req.note } : {}),
      ...(req.mediaType ? { mediaType: req.mediaType } : {}),
    }),
    ...(ctx.provenance
      ? ctx.provenance.addOps(req.digest, {
          kind: "anchor",
          issuerId,
          at,
          leafIndex: receipt.leafIndex,
          receipt,
        })
      : []),
  ]);
  return { digest: req.digest, receipt };
}
