/**
 * Bodies of the issuer-management, lifecycle and anchoring routes (docs/API.md "Issuers",
 * "Credentials", issue 3 "Artifact anchoring"). Strict and bounded like every request.
 */
import { z } from "zod";
import { LIMITS, httpUrl, publicNote, text } from "./fields.js";

/** `POST /v1/issuers` (admin). */
export const createIssuerRequestSchema = z.strictObject({
  name: text(LIMITS.name),
  url: httpUrl.optional(),
});
export type CreateIssuerRequest = z.infer<typeof createIssuerRequestSchema>;

export const STATUS_ACTIONS = ["suspend", "reinstate", "revoke", "archive"] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];

/** Reason codes of a status change (docs/API.md; DOMAIN.md "Withdrawal reasons"). */
export const STATUS_REASONS = [
  "issued-in-error",
  "unsupported",
  "unsafe",
  "misclassified",
  "overclaimed",
  "duplicated",
  "superseded",
  "under-review",
  "expired-relevance",
  "other",
] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];

/** `POST /v1/credentials/{id}/status`; `other` requires a `note`. */
export const statusChangeRequestSchema = z
  .strictObject({
    action: z.enum(STATUS_ACTIONS),
    reason: z.enum(STATUS_REASONS),
    note: text(500).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.reason === "other" && v.note === undefined)
      ctx.addIssue({ code: "custom", path: ["note"], message: 'reason "other" requires a note' });
  });
export type StatusChangeRequest = z.infer<typeof statusChangeRequestSchema>;

/** IANA media type (RFC 6838 §4.2), e.g. application/pdf. */
const mediaType = z
  .string()
  .max(127)
  .regex(
    /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i,
    "must be a media type such as application/pdf",
  );

/**
 * `POST /v1/anchors`: anchors an artifact digest without a credential. The digest is lowercase hex
 * SHA-256 (the form of every log entry). The note stays in the issuer's records and never enters
 * the public log; notes with e-mail addresses, phone numbers or DIDs are refused all the same
 * (docs/API.md "Anchors").
 */
export const anchorRequestSchema = z.strictObject({
  digest: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex characters (SHA-256)"),
  mediaType: mediaType.optional(),
  note: publicNote(280).optional(),
});
export type AnchorRequest = z.infer<typeof anchorRequestSchema>;
