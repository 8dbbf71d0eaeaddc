// The contracts of the verification routes (routes.ts; docs/API.md "Verification (public)").
// `verifyRequestSchema` is the schema the handler parses with (its hand-written fast path accepts
// exactly the same `{credential, receipt?}` bodies).
import { z } from "zod";
import type { RouteContract } from "@meritlog/schemas";

const receiptSchema = z.object({
  origin: z.string().max(1024),
  leafIndex: z.number().int().nonnegative(),
  entry: z.string().max(64 * 1024),
  inclusionProof: z.array(z.string().max(128)).max(64),
  checkpoint: z.string().max(64 * 1024),
});

/** `{credential, receipt?}` or `{presentation, nonce, audience}`; strict, so typos are 400s. */
export const verifyRequestSchema = z.union([
  z.strictObject({ credential: z.string().min(1), receipt: receiptSchema.optional() }),
  z.strictObject({ presentation: z.string().min(1), nonce: z.string().min(1).max(512), audience: z.string().min(1).max(2048) }),
]);

export const VERIFIER_ROUTE_CONTRACTS = [
  {
    method: "GET",
    url: "/v1/challenges",
    tag: "verification",
    summary: "Get a presentation challenge",
    description: "A one-time `{nonce, audience, expiresAt}` for a holder to sign a presentation over.",
    auth: "public",
    success: { status: 200, description: "The challenge.", schema: z.object({ nonce: z.string(), audience: z.string(), expiresAt: z.string() }) },
    problems: [],
  },
  {
    method: "POST",
    url: "/v1/verify",
    tag: "verification",
    summary: "Verify a credential or presentation",
    description:
      "Answers 200 with a VerificationReport also for an invalid credential (`verdict: \"invalid\"`); only a malformed request is an error. Without a `receipt` the verifier looks the credential up in the log itself.",
    auth: "public",
    body: verifyRequestSchema,
    success: { status: 200, description: "The VerificationReport." },
    problems: ["verify.request_invalid", "verify.too_large"],
  },
] as const satisfies readonly RouteContract[];
