import { z } from "zod";

// Path and query parameters of the issuer routes. Request bodies (create issuer, status change,
// anchor, issuance) are `@meritlog/schemas`' strict schemas, shared with the docs and OpenAPI.
export const credentialIdSchema = z.strictObject({
  id: z.string().regex(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "id must be a urn:uuid: credential id"),
});

/** An issuer id (16 lowercase hex characters, as `POST /v1/issuers` makes them). */
export const issuerIdSchema = z.strictObject({ id: z.string().regex(/^[0-9a-f]{16}$/, "id must be an issuer id (16 hex characters)") });

export const listIdSchema = z.strictObject({ listId: z.string().min(1).max(100) });

export const issueQuerySchema = z.strictObject({
  /** `vc1.1` also returns the VC Data Model 1.1 form (`vc` claim) for wallets that only read that. */
  /** `di` also returns the Data Integrity form (`eddsa-rdfc-2022`), anchored with its own entry. */
  format: z.enum(["ob3", "vc1.1", "di"]).optional(),
});
