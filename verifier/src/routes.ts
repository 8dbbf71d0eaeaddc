// The verification routes (docs/API.md "Verification (public)"):
//   GET  /v1/challenges → {nonce, audience, expiresAt}
//   POST /v1/verify     → 200 VerificationReport (also for invalid credentials); 400 for malformed requests.
// Every report passes through withContextRules (context-expansion.ts): the JSON-LD rules, for
// documents that bring contexts of their own; then withCodedDetails (report-details.ts) codes the
// details its sentences quote, so pages can say them in the reader's language.
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import type {
  Fetcher,
  TrustMaterial,
  VerifierCache,
  VerifyContext,
  Ed25519Verify,
  Receipt,
  JsonObject,
  VerificationReport,
} from "./core/index.js";
import { verifyDataIntegrity } from "./data-integrity.js";
import { withContextRules } from "./context-expansion.js";
import { withCodedDetails } from "./report-details.js";
import { verifySdJwtDisclosed, verifySdJwtPresentation } from "./sd-jwt.js";
import { createVerifierCache, verifyCredential, verifyPresentation } from "./core/index.js";
import { VerifierError } from "./errors.js";
import { verifyRequestSchema } from "./route-contracts.js";
import type { ChallengeStore } from "./challenges.js";
import { createNodeEd25519, nodeSha256, nodeSha256Hex } from "./node-ed25519.js";
import { checkCoSignatureEntries } from "./cosign-entries.js";
import type { SharingStore } from "./sharing-store.js";
import { registerSharingRoutes } from "./sharing.js";
import { DecodePool } from "./node-decode-pool.js";

const offloadedEd25519 = createNodeEd25519(10_000, { offload: true });
const syncNodeEd25519 = createNodeEd25519();
const syncEd25519 = (sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array): boolean =>
  syncNodeEd25519.verify(sig, msg, publicKey) === true;

export interface VerifierRoutesOptions {
  /** Current trust material (issuer registry, log keys, known checkpoints); reused for `trustTtlMs`. */
  trust: () => TrustMaterial | Promise<TrustMaterial>;
  /** How long one answer of `trust()` is reused (default 1000 ms; 0 calls it on every request). */
  trustTtlMs?: number;
  /** When given, an answer of `trust()` is reused only while this returns the same value (e.g. the registry's version), so a key rotation is seen at once. */
  trustVersion?: () => unknown;
  /** What the verifier may fetch (status lists, log proofs, history, receipts, did:web). */
  fetcher?: Fetcher;
  challenges: ChallengeStore;
  /** Shared cache (DID documents, status lists, checkpoints); one is created if omitted. */
  cache?: VerifierCache;
  skewSeconds?: number;
  now?: () => Date;
  ed25519?: Ed25519Verify;
  /**
   * Worker threads that decode credential JWTs the verifier has not kept a decoding of
   * (node-decode-pool.ts), off the event loop; default 0 (all on the event loop).
   */
  decodeWorkers?: number;
  /** Lasting shares and presentation requests (sharing.ts); off when omitted. */
  sharing?: {
    store: SharingStore;
    baseUrl: string;
    requestsPerMinute?: number;
    qrSvg?: (text: string) => string;
  };
}

const hasOwn = Object.prototype.hasOwnProperty;

/** A report as the routes answer it: the JSON-LD rules applied, then its quoted details coded. */
const finished = async (r: VerificationReport): Promise<VerificationReport> =>
  withCodedDetails(await withContextRules(r));

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
  return {
    credential,
    receipt: { origin, leafIndex, entry, inclusionProof: inclusionProof as string[], checkpoint },
  };
}

const routes: FastifyPluginAsync<VerifierRoutesOptions> = async (app, opts) => {
  const cache = opts.cache ?? createVerifierCache();
  // Signatures are checked on the thread pool, so the event loop serves other requests meanwhile.
  const ed25519 = opts.ed25519 ?? offloadedEd25519;
  const now = opts.now ?? (() => new Date());
  const decodePool = opts.decodeWorkers ? new DecodePool(opts.decodeWorkers, cache) : undefined;
  if (decodePool) app.addHook("onClose", async () => await decodePool.close());
  /** `POST /v1/verify` credential requests under way (the decode pool is used only when they overlap). */
  let verifying = 0;
  // trust() may read the issuer registry from storage; one answer serves a burst of requests.
  const trustTtl = opts.trustTtlMs ?? 1000;
  let trustCache: { at: number; version: unknown; value: Promise<TrustMaterial> } | undefined;
  const currentTrust = (): Promise<TrustMaterial> => {
    const t = Date.now();
    const version = opts.trustVersion?.();
    if (!trustCache || t - trustCache.at >= trustTtl || trustCache.version !== version) {
      const value = Promise.resolve(opts.trust());
      trustCache = { at: t, version, value };
      // A failed read is not reused.
      value.catch(() => {
        if (trustCache?.value === value) trustCache = undefined;
      });
    }
    return trustCache.value;
  };

  const extras: Pick<VerifyContext, "fetcher" | "skewSeconds" | "coSignatureEntries" | "ed25519Sync"> = {
    // Reads the co-signatures' `cosign` entries through the fetcher's `logEntry` (issue 14).
    coSignatureEntries: checkCoSignatureEntries,
    // Checkpoint signatures with node:crypto on the event loop (once per checkpoint), not noble.
    ed25519Sync: syncEd25519,
    ...(opts.fetcher ? { fetcher: opts.fetcher } : {}),
    ...(opts.skewSeconds !== undefined ? { skewSeconds: opts.skewSeconds } : {}),
  };

  /** The context of one verification: this moment, the current trust material, the shared caches. */
  const ctxNow = async (): Promise<VerifyContext> => ({
    now: now(),
    ed25519,
    trust: await currentTrust(),
    cache,
    sha256: nodeSha256,
    sha256Hex: nodeSha256Hex,
    ...extras,
  });

  if (opts.sharing) {
    registerSharingRoutes(app, {
      ...opts.sharing,
      ed25519,
      now,
      // A lasting share may hold an SD-JWT with the disclosures the learner kept (no key binding).
      verifyCredential: async (jwt) =>
        await finished(
          jwt.includes("~")
            ? await verifySdJwtDisclosed(jwt, await ctxNow())
            : await verifyCredential(jwt, undefined, await ctxNow()),
        ),
      // An SD-JWT (RFC 9901 §4: `~`-separated) answers a request like a VP-JWT does.
      verifyPresentation: async (presentation, expect, answeredAt) =>
        await finished(
          presentation.includes("~")
            ? await verifySdJwtPresentation(
                presentation,
                {
                  ...expect,
                  challenge: expect.challenge ?? "valid",
                  ...(answeredAt ? { boundAt: new Date(answeredAt) } : {}),
                },
                await ctxNow(),
              )
            : await verifyPresentation(presentation, expect, await ctxNow()),
        ),
    });
  }

  app.get("/v1/challenges", async (_req, reply) => {
    reply.header("cache-control", "no-store");
    return await opts.challenges.issue();
  });

  app.post("/v1/verify", async (req, reply) => {
    const fast = credentialRequestFast(req.body);
    if (fast) {
      verifying++;
      try {
        // A credential not seen lately, while other verifications are under way, is decoded on a
        // worker thread first (what verifyCredential would otherwise do on the event loop); a lone
        // request is decoded at once, without the hand-over.
        if (decodePool && verifying > 1 && cache.credentials.get(fast.credential, 0) === undefined)
          await decodePool.keep(fast.credential);
        reply.header("cache-control", "no-store");
        return await finished(await verifyCredential(fast.credential, fast.receipt, await ctxNow()));
      } finally {
        verifying--;
      }
    }
    const parsed = verifyRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new VerifierError(
        "verify.request_invalid",
        'send {"credential": "<jwt>" | {<Data Integrity credential>}, "receipt"?: {…}} or {"presentation": "<jwt>", "nonce": "…", "audience": "…"}' +
          (issue ? ` (${issue.path.join(".") || "body"}: ${issue.message})` : ""),
        { path: issue?.path.join(".") ?? "" },
      );
    }
    const ctx = await ctxNow();
    reply.header("cache-control", "no-store");
    const body = parsed.data;
    if ("credential" in body && typeof body.credential !== "string")
      return await finished(
        await verifyDataIntegrity(body.credential as JsonObject, body.receipt as Receipt | undefined, ctx),
      );
    if ("credential" in body)
      return await finished(
        await verifyCredential(body.credential as string, body.receipt as Receipt | undefined, ctx),
      );
    // The nonce is used up before verification, so two concurrent replays cannot both pass.
    const challenge = await opts.challenges.consume(body.nonce, body.audience);
    // An SD-JWT (RFC 9901 §4: `~`-separated) never contains `~` when it is a VP-JWT.
    if (body.presentation.includes("~"))
      return await finished(
        await verifySdJwtPresentation(
          body.presentation,
          { nonce: body.nonce, audience: body.audience, challenge },
          ctx,
        ),
      );
    return await finished(
      await verifyPresentation(
        body.presentation,
        { nonce: body.nonce, audience: body.audience, challenge },
        ctx,
      ),
    );
  });
};

/** Fastify plugin for /v1/challenges and /v1/verify; errors are VerifierErrors for the server's problem+json handler. */
export const verifierRoutes = fp(routes, { name: "@meritlog/verifier", fastify: "5.x" });
