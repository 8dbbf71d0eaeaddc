import { z } from "zod";

// Path and query parameters of the issuer routes. Request bodies (create issuer, status change,
// anchor, issuance) are `@meritlog/schemas`' strict schemas, shared with the docs and OpenAPI.
export const credentialIdSchema = z.strictObject({
  id: z
    .string()
    .regex(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      "id must be a urn:uuid: credential id",
    ),
});

/** An issuer id (16 lowercase hex characters, as `POST /v1/issuers` makes them). */
export const issuerIdSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{16}$/, "id must be an issuer id (16 hex characters)"),
});

export const listIdSchema = z.strictObject({ listId: z.string().min(1).max(100) });

export const issueQuerySchema = z.strictObject({
  /** `vc1.1` also returns the VC Data Model 1.1 form (`vc` claim) for wallets that only read that. */
  /** `di` also returns the Data Integrity form (`eddsa-rdfc-2022`), anchored with its own entry. */
  /** `sd-jwt` also returns the SD-JWT form (`vc+sd-jwt`), anchored with its own entry. */
  format: z.enum(["ob3", "vc1.1", "di", "sd-jwt"]).optional(),
});

/** Query of `GET /v1/credentials` (docs/API.md "What an issuer has issued"). */
export const credentialListQuerySchema = z.strictObject({
  type: z.enum(["MicroCredential", "Attribution", "MPUAuthorship"]).optional(),
  state: z.enum(["active", "suspended", "revoked", "superseded", "archived"]).optional(),
  subject: z.string().min(1).max(2048).optional(),
  offer: z.string().min(1).max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z
    .string()
    .regex(/^urn:uuid:[0-9a-f-]{36}$/, "cursor must be the `next` of the previous page")
    .optional(),
});

/** `POST /v1/credentials/batch` and `POST /v1/offers/batch`: up to 1000 items, each validated on its own. */
export const batchBodySchema = z.strictObject({
  items: z.array(z.unknown()).min(1).max(1000, "at most 1000 items per batch"),
});
