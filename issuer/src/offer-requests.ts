import { z } from "zod";
import {
  assertDates,
  attributionOfferSchema,
  microCredentialOfferSchema,
  mpuAuthorshipOfferSchema,
  parseInput,
  parseOfferRequest,
} from "@meritlog/schemas";
import { OFFER_MAX_EXPIRES_IN, type CreatedOffer, type OfferOptions } from "./offers.js";

/**
 * The parts of `POST /v1/offers` (and of each item of `POST /v1/offers/batch`) that are not the
 * credential's claims: lifetime, tx_code and the issuer's own label (docs/API.md "Offers that
 * survive real delivery"). They never reach a credential or the log.
 */
const offerOptionsSchema = z.strictObject({
  expiresIn: z
    .number()
    .int()
    .min(60, "at least 60 seconds")
    .max(OFFER_MAX_EXPIRES_IN, `at most ${OFFER_MAX_EXPIRES_IN} seconds (one year)`)
    .optional(),
  txCode: z.boolean().optional(),
  reference: z
    .string()
    .min(1)
    .max(200, "at most 200 characters")
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001F\u007F]/.test(s), "contains control characters")
    .optional(),
});

/**
 * `POST /v1/offers` body as documented (route-contracts.ts): an offer request of one of the three
 * types plus the offer options. `parseOfferBody` is what the handler runs (claims first, then
 * dates and options); this schema accepts the same bodies.
 */
export const offerBodySchema = z
  .discriminatedUnion("type", [
    microCredentialOfferSchema.extend(offerOptionsSchema.shape),
    attributionOfferSchema.extend(offerOptionsSchema.shape),
    mpuAuthorshipOfferSchema.extend(offerOptionsSchema.shape),
  ])
  .meta({
    title: "OfferBody",
    description:
      "POST /v1/offers body: an OfferRequest (as IssueRequest without `subject`) plus `expiresIn`, `txCode` and `reference`.",
  });

/** Query of `GET /v1/offers`. */
export const offerListQuerySchema = z.strictObject({
  state: z.enum(["pending", "redeemed", "expired", "cancelled"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(64).optional(),
});

export const offerIdParamSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "id must be an offer id"),
});

/**
 * Validates an offer body exactly as `POST /v1/credentials` validates a credential (forbidden
 * fields 422, schema 400, naming 422, dates 422), then its options.
 * @throws SchemaError `claims.*` / `schema.invalid`
 */
export function parseOfferBody(
  input: unknown,
  now: Date,
): { request: Record<string, unknown> & { type: string }; options: OfferOptions } {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return { request: parseOfferRequest(input) as never, options: {} };
  const { expiresIn, txCode, reference, ...rest } = input as Record<string, unknown>;
  const request = parseOfferRequest(rest) as unknown as Record<string, unknown> & { type: string };
  assertDates(rest, now);
  const raw: Record<string, unknown> = {};
  if (expiresIn !== undefined) raw.expiresIn = expiresIn;
  if (txCode !== undefined) raw.txCode = txCode;
  if (reference !== undefined) raw.reference = reference;
  const o = parseInput(offerOptionsSchema, raw);
  const options: OfferOptions = {};
  if (o.expiresIn !== undefined) options.expiresIn = o.expiresIn;
  if (o.txCode !== undefined) options.txCode = o.txCode;
  if (o.reference !== undefined) options.reference = o.reference;
  return { request, options };
}

/** The `201` body for a created (or reissued) offer: links, code and tx_code shown once. */
export function offerResponse(created: CreatedOffer, base: string): Record<string, unknown> {
  const credentialOfferUri = `${base}/oid4vci/offers/${created.offerId}`;
  const offerUri = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(credentialOfferUri)}`;
  return {
    id: created.id,
    offerId: created.offerId,
    offerUri,
    preAuthorizedCode: created.preAuthorizedCode,
    expiresAt: created.expiresAt.toISOString(),
    credentialOfferUri,
    // Open (or encode as a QR code) to claim with the meritlog wallet on this server.
    walletLink: `${base}/wallet/#offer=${encodeURIComponent(offerUri)}`,
    ...(created.txCode !== undefined ? { txCode: created.txCode } : {}),
  };
}
