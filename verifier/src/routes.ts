// The verification routes (shared/API.md "Verification (public)"):
//   GET  /v1/challenges → {nonce, audience, expiresAt}
//   POST /v1/verify     → 200 VerificationReport (also for invalid credentials); 400 for malformed requests.
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import { z } from "zod";
import type { Fetcher, TrustMaterial, VerifierCache, VerifyContext, Ed25519Verify, Receipt, JsonObject } from "./core/index.js";
import { verifyDataIntegrity } from "./data-integrity.js";
import { createVerifierCache, verifyCredential, verifyPresentation } from "./core/index.js";
import { VerifierError } from "./errors.js";
import type { ChallengeStore } from "./challenges.js";
import { createNodeEd25519, nodeSha256, nodeSha256Hex } from "./node-ed25519.js";

const offloadedEd25519 = createNodeEd25519(10_000, { offload: true });

export interface VerifierRoutesOptions {
  /** Current trust material (issuer registry, log keys, known checkpoints); reused for `trustTtlMs`. */
  trust: () => TrustMaterial | Promise<TrustMaterial>;
  /** How long one answer of `trust()` is reused (default 1000 ms; 0 calls it on every request). */
  trustTtlMs?: number;
  /** What the verifier may fetch (status lists, log proofs, history, receipts, did:web). */
  fetcher?: Fetcher;
  challenges: ChallengeStore;
  /** Shared cache (DID documents, status lists, checkpoints); one is created if omitted. */
  cache?: VerifierCache;
  skewSeconds?: number;
  now?: () => Date;
  ed25519?: Ed25519Verify;
}

const receiptSchema = z.object({
  origin: z.string().max(1024),
  leafIndex: z.number().int().nonnegative(),
  entry: z.string().max(64 * 1024),
  inclusionProof: z.array(z.string().max(128)).max(64),
  checkpoint: z.string().max(64 * 1024),
});

/** `{credential, receipt?}` or `{presentation, nonce, audience}`; strict, so typos are 400s. */
const verifyRequestSchema = z.union([
  z.strictObject({ credential: z.string().min(1), receipt: receiptSchema.optional() }),
  // A credential secured with an embedded Data Integrity proof is sent as the JSON object itself.
  z.strictObject({ credential: z.record(z.string(), z.unknown()), receipt: receiptSchema.optional() }),
  z.strictObject({ presentation: z.string().min(1), nonce: z.string().min(1).max(512), audience: z.string().min(1).max(2048) }),
]);

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The common request `{credential, receipt?}` checked by hand, accepting only what
 * `verifyRequestSchema` accepts (about 8 µs of zod per request saved); anything else, and every
 * presentation, goes through zod, which also words the errors. The receipt is rebuilt from its
 * five members, as zod's (non-strict) object would strip unknown ones.
 */
function credentialRequestFast(b: unknown): { credential: string; receipt?: Receipt } | undefined {
  if (b === null || typeof b !== "object" || Array.isArray(b)) return undefined;
  let n = 0;
  for (const k in b) {
    if (!hasOwn.call(b, k)) continue;
    if (k !== "credential" && k !== "receipt") return undefined;
    n++;
  }
  const { credential, receipt } = b as { credential?: unknown; receipt?: unknown };
  if (typeof credential !== "string" || credential.length === 0) return undefined;
  if (!hasOwn.call(b, "receipt")) return n === 1 ? { credential } : undefined;
  if (receipt === null || typeof receipt !== "object" || Array.isArray(receipt)) return undefined;
  const r = receipt as Record<string, unknown>;
  const { origin, leafIndex, entry, inclusionProof, checkpoint } = r;
  if (typeof origin !== "string" || origin.length > 1024) return undefined;
  if (typeof leafIndex !== "number" || !Number.isSafeInteger(leafIndex) || leafIndex < 0) return undefined;
  if (typeof entry !== "string" || entry.length > 64 * 1024) return undefined;
  if (typeof checkpoint !== "string" || checkpoint.length > 64 * 1024) return undefined;
  if (!Array.isArray(inclusionProof) || inclusionProof.length > 64) return undefined;
  for (let i = 0; i < inclusionProof.length; i++) {
    const p: unknown = inclusionProof[i];
    if (typeof p !== "string" || p.length > 128) return undefined;
  }
  return { credential, receipt: { origin, leafIndex, entry, inclusionProof: inclusionProof as string[], checkpoint } };
}

const routes: FastifyPluginAsync<VerifierRoutesOptions> = async (app, opts) => {
  const cache = opts.cache ?? createVerifierCache();
  // Signatures are checked on the thread pool, so the event loop serves other requests meanwhile.
  const ed25519 = opts.ed25519 ?? offloadedEd25519;
  const now = opts.now ?? (() => new Date());
  // trust() may read the issuer registry from storage; one answer serves a burst of requests.
  const trustTtl = opts.trustTtlMs ?? 1000;
  let trustCache: { at: number; value: Promise<TrustMaterial> } | undefined;
  const currentTrust = (): Promise<TrustMaterial> => {
    const t = Date.now();
    if (!trustCache || t - trustCache.at >= trustTtl) {
      const value = Promise.resolve(opts.trust());
      trustCache = { at: t, value };
      // A failed read is not reused.
      value.catch(() => {
        if (trustCache?.value === value) trustCache = undefined;
      });
    }
    return trustCache.value;
  };

  const extras: Pick<VerifyContext, "fetcher" | "skewSeconds"> = {
    ...(opts.fetcher ? { fetcher: opts.fetcher } : {}),
    ...(opts.skewSeconds !== undefined ? { skewSeconds: opts.skewSeconds } : {}),
  };

  app.get("/v1/challenges", async (_req, reply) => {
    reply.header("cache-control", "no-store");
    return opts.challenges.issue();
  });

  app.post("/v1/verify", async (req, reply) => {
    const fast = credentialRequestFast(req.body);
    if (fast) {
      const ctx: VerifyContext = { now: now(), ed25519, trust: await currentTrust(), cache, sha256: nodeSha256, sha256Hex: nodeSha256Hex, ...extras };
      reply.header("cache-control", "no-store");
      return await verifyCredential(fast.credential, fast.receipt, ctx);
    }
    const parsed = verifyRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new VerifierError(
        "verify.request_invalid",
        'send {"credential": "<jwt>" | {<Data Integrity credential>}, "receipt"?: {…}} or {"presentation": "<jwt>", "nonce": "…", "audience": "…"}' + (issue ? ` (${issue.path.join(".") || "body"}: ${issue.message})` : ""),
        { path: issue?.path.join(".") ?? "" },
      );
    }
    const ctx: VerifyContext = {
      now: now(),
      ed25519,
      trust: await currentTrust(),
      cache,
      sha256: nodeSha256,
      sha256Hex: nodeSha256Hex,
      ...extras,
    };
    reply.header("cache-control", "no-store");
    const body = parsed.data;
    if ("credential" in body && typeof body.credential !== "string") return await verifyDataIntegrity(body.credential as JsonObject, body.receipt as Receipt | undefined, ctx);
    if ("credential" in body) return await verifyCredential(body.credential as string, body.receipt as Receipt | undefined, ctx);
    // The nonce is used up before verification, so two concurrent replays cannot both pass.
    const challenge = opts.challenges.consume(body.nonce, body.audience);
    return await verifyPresentation(body.presentation, { nonce: body.nonce, audience: body.audience, challenge }, ctx);
  });
};

/** Fastify plugin for /v1/challenges and /v1/verify; errors are VerifierErrors for the server's problem+json handler. */
export const verifierRoutes = fp(routes, { name: "@meritlog/verifier", fastify: "5.x" });
