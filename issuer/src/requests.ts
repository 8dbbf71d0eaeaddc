import { z } from "zod";

// Request bodies owned by the issuer package (credential bodies are `@meritlog/schemas`'
// issueRequestSchema). Strict objects: unknown fields are rejected; every string is bounded.

/** Reasons of docs/API.md, plus the withdrawal reasons of docs/DOMAIN.md ("unlawful", "privacy-violating", "conflicted"). */
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
  "unlawful",
  "privacy-violating",
  "conflicted",
  "other",
] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];

export const STATUS_ACTIONS = ["suspend", "reinstate", "revoke", "archive"] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];

export const createIssuerRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  url: z.url({ protocol: /^https?$/ }).max(2048).optional(),
});
export type CreateIssuerRequest = z.infer<typeof createIssuerRequestSchema>;

export const statusChangeRequestSchema = z
  .strictObject({
    action: z.enum(STATUS_ACTIONS),
    reason: z.enum(STATUS_REASONS),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .refine((r) => r.reason !== "other" || r.note !== undefined, { message: "reason \"other\" requires a note", path: ["note"] });
export type StatusChangeRequest = z.infer<typeof statusChangeRequestSchema>;

export const anchorRequestSchema = z.strictObject({
  /** Hex SHA-256 of the artifact. */
  digest: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "digest must be the hex SHA-256 of the artifact")
    .transform((d) => d.toLowerCase()),
  mediaType: z
    .string()
    .max(255)
    .regex(/^[a-zA-Z0-9!#$&^_.+-]+\/[a-zA-Z0-9!#$&^_.+-]+$/, "mediaType must be type/subtype (RFC 6838)")
    .optional(),
  note: z.string().trim().min(1).max(2000).optional(),
});
export type AnchorRequest = z.infer<typeof anchorRequestSchema>;

export const credentialIdSchema = z.strictObject({
  id: z.string().regex(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "id must be a urn:uuid: credential id"),
});

export const listIdSchema = z.strictObject({ listId: z.string().min(1).max(100) });

export const issueQuerySchema = z.strictObject({
  /** `vc1.1` also returns the VC Data Model 1.1 form (`vc` claim) for wallets that only read that. */
  format: z.enum(["ob3", "vc1.1"]).optional(),
});
