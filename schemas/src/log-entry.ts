/**
 * The entries of the transparency log (docs/API.md "Receipt"; ARCHITECTURE.md "Data flow"): one
 * RFC 8785 canonical JSON object per issuance, status change, correction, renewal, archive,
 * artifact anchor and key event. Entries carry digests and public identifiers only: never the
 * holder's DID or any personal data (docs/ARCHITECTURE.md "Non-goals").
 */
import { z } from "zod";
import { canonicalJson } from "./canonical-json.js";
import { SchemaError } from "./errors.js";
import { dateTime, did, hexSha256, publicNote, urnUuid } from "./fields.js";
import { parseInput } from "./parse-input.js";

export const LOG_ENTRY_KINDS = [
  "issue",
  "suspend",
  "reinstate",
  "revoke",
  "supersede",
  "renew",
  "archive",
  "anchor",
  "key",
  "pathway",
  "cosign",
  "endorse",
] as const;
export type LogEntryKind = (typeof LOG_ENTRY_KINDS)[number];

const common = {
  /** When the event happened (RFC 3339 UTC, as the issuer service's clock said). */
  at: dateTime,
  /** The issuer's DID. */
  issuer: did,
  v: z.literal(1),
};

/**
 * A credential event: `digest` is the lowercase hex SHA-256 of the credential's JWT.
 * Version 2 (issue 14, docs/API.md "Provenance") adds `artifact`: the hex SHA-256 of the object an
 * MPU authorship or attribution is about, so anyone following the log finds every claim about a
 * file. Version 1 entries (no `artifact`) stay valid; `artifact` appears only with `v: 2`.
 */
const credentialEntrySchema = z
  .strictObject({
    kind: z.enum(["issue", "suspend", "reinstate", "revoke", "supersede", "renew", "archive"]),
    /** The credential's `urn:uuid:` id. Never a DID: the log must not learn the holder's DID. */
    credentialId: urnUuid,
    digest: hexSha256,
    artifact: hexSha256.optional(),
    ...common,
    v: z.union([z.literal(1), z.literal(2)]),
  })
  .refine((e) => (e.v === 2) === (e.artifact !== undefined), {
    message: "`artifact` is carried by version 2 entries only, and every version 2 entry has one",
    path: ["artifact"],
  });

/**
 * A co-author's decision on a co-authored MPU (`POST /v1/mpus/{id}/signatures`): `digest` is the
 * hex SHA-256 of the author's compact JWS, `statement` the hex SHA-256 of the statement's RFC 8785
 * bytes, `mpu` the registration id. The author's DID is not in the entry (no holder DID in the log).
 */
const cosignEntrySchema = z.strictObject({
  kind: z.literal("cosign"),
  mpu: urnUuid,
  digest: hexSha256,
  statement: hexSha256,
  /** Absent: the author signed. `decline`: the author refused (the reason stays in the issuer's store). */
  event: z.literal("decline").optional(),
  ...common,
});

/**
 * An Open Badges 3.0 EndorsementCredential (`POST /v1/endorsements`): `credentialId` is the
 * endorsement's own id, `digest` the hex SHA-256 of its JWT, `target` what it endorses (a
 * credential's `urn:uuid:` id or an artifact's hex SHA-256). Status changes of an endorsement are
 * ordinary credential entries of its id.
 */
const endorseEntrySchema = z.strictObject({
  kind: z.literal("endorse"),
  credentialId: urnUuid,
  digest: hexSha256,
  target: z.union([urnUuid, hexSha256]),
  ...common,
});

/** An artifact anchor (`POST /v1/anchors`): the artifact's digest, no credential. */
const anchorEntrySchema = z.strictObject({
  kind: z.literal("anchor"),
  digest: hexSha256,
  mediaType: z.string().max(127).optional(),
  note: publicNote(280).optional(),
  ...common,
});

/**
 * An issuer key event: `kid` names the key (DID URL), `digest` is hex SHA-256 of the raw public key.
 * A `rotate` entry names the new key's DID as `issuer` and the retired DID as `previous`
 * (required there, and allowed nowhere else).
 */
const keyEntrySchema = z
  .strictObject({
    kind: z.literal("key"),
    kid: z
      .string()
      .max(2048)
      .regex(/^did:[a-z0-9]+:[^\s#]+#[^\s]+$/, "must be a DID URL with a fragment (did:…#…)"),
    digest: hexSha256,
    // token-rotate / token-revoke: the issuer's API token was replaced or withdrawn (docs/API.md
    // "Issuer tokens"), which changes who may have this key sign; kid and digest name the key.
    event: z.enum(["create", "rotate", "retire", "token-rotate", "token-revoke"]).optional(),
    /** For `event: "rotate"`: the issuer's DID before the rotation. */
    previous: did.optional(),
    ...common,
  })
  .refine((e) => (e.event === "rotate") === (e.previous !== undefined), {
    message: "a rotate entry needs `previous` (the retired DID); other key entries must not have it",
    path: ["previous"],
  })
  .refine((e) => e.previous === undefined || e.previous !== e.issuer, {
    message: "`previous` must differ from `issuer`",
    path: ["previous"],
  });

/**
 * A pathway event (issue 15; schemas/src/pathway.ts): `digest` is hex SHA-256 of the RFC 8785
 * canonical pathway document as published. `publish` a new pathway; `supersede` publishes a
 * correction of `previous` (required there, allowed nowhere else); `archive` retires one.
 */
const pathwayEntrySchema = z
  .strictObject({
    kind: z.literal("pathway"),
    event: z.enum(["publish", "supersede", "archive"]),
    pathwayId: urnUuid,
    digest: hexSha256,
    previous: urnUuid.optional(),
    ...common,
  })
  .refine((e) => (e.event === "supersede") === (e.previous !== undefined), {
    message:
      "a supersede entry needs `previous` (the corrected pathway); other pathway entries must not have it",
    path: ["previous"],
  });

/** Any log entry. Strict: an entry with unknown members is not ours. */
export const logEntrySchema = z.discriminatedUnion("kind", [
  credentialEntrySchema,
  anchorEntrySchema,
  keyEntrySchema,
  pathwayEntrySchema,
  cosignEntrySchema,
  endorseEntrySchema,
]);
export type LogEntry = z.infer<typeof logEntrySchema>;
export type CredentialLogEntry = z.infer<typeof credentialEntrySchema>;
export type AnchorLogEntry = z.infer<typeof anchorEntrySchema>;
export type KeyLogEntry = z.infer<typeof keyEntrySchema>;
export type PathwayLogEntry = z.infer<typeof pathwayEntrySchema>;
export type CosignLogEntry = z.infer<typeof cosignEntrySchema>;
export type EndorseLogEntry = z.infer<typeof endorseEntrySchema>;

/**
 * The bytes appended to the log: UTF-8 of the RFC 8785 canonical JSON of a validated entry.
 * @throws SchemaError `schema.invalid` if the entry does not fit `logEntrySchema`.
 * @example encodeLogEntry({ kind: "issue", credentialId, issuer, digest, at, v: 1 })
 */
export function encodeLogEntry(e: LogEntry): Uint8Array {
  return new TextEncoder().encode(canonicalJson(parseInput(logEntrySchema, e)));
}

/**
 * Parses log entry bytes (or their text, as in a receipt's `entry`), requiring that they are
 * exactly the canonical form, so that one entry has one byte string.
 * @throws SchemaError `schema.invalid` for invalid UTF-8, invalid JSON, a non-canonical form or an invalid entry.
 */
export function decodeLogEntry(bytes: Uint8Array | string): LogEntry {
  let text: string;
  try {
    text = typeof bytes === "string" ? bytes : new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new SchemaError("schema.invalid", "log entry is not valid UTF-8", { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new SchemaError("schema.invalid", "log entry is not valid JSON", { cause });
  }
  const entry = parseInput(logEntrySchema, json);
  if (canonicalJson(entry) !== text)
    throw new SchemaError("schema.invalid", "log entry is not in RFC 8785 canonical form");
  return entry;
}
