import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyInstance } from "fastify";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import { Level } from "level";
import { MERITLOG_CONTEXT_URL, meritlogContext } from "@meritlog/schemas";
import { loadOrCreateLogSigner, logRoutes, openLog } from "@meritlog/ledger";
import { createIssuerService, createOfferStore, createSecretBox, issuerRoutes, offerRoutes, oid4vciRoutes } from "@meritlog/issuer";
import { createChallengeStore, verifierRoutes } from "@meritlog/verifier";
import type { ServerConfig } from "./config.js";
import { errorToProblem, problem, sendProblem } from "./problem.js";
import { loadSecrets } from "./secrets.js";
import { registerOpenApi } from "./openapi.js";
import { createLocalFetcher } from "./local-fetcher.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const walletDist = join(here, "../../wallet-web/dist");
const consoleDist = join(here, "../../issuer-web/dist");
const publicDir = join(here, "../public");

/**
 * Builds the meritlog Fastify app on the embedded LevelDB default: opens the data folder, the log
 * and the issuer service, and registers every route group. Never listens (server.ts does).
 * Closing the app drains the log's pending batch and closes the database.
 */
export async function buildApp(config: ServerConfig): Promise<FastifyInstance> {
  const secrets = await loadSecrets(config.dataDir, config);
  // maxOpenFiles bounds how many table files LevelDB keeps mapped: at 10M log entries the default
  // (1000) maps ~380 MiB of tables into RSS; 64 keeps RSS near 185 MiB with proofs still ~0.13 ms.
  const db = new Level<string, Uint8Array>(join(config.dataDir, "db"), { keyEncoding: "utf8", valueEncoding: "view", maxOpenFiles: 64 });
  await db.open();
  const sub = (name: string) => db.sublevel<string, Uint8Array>(name, { keyEncoding: "utf8", valueEncoding: "view" });

  const app = Fastify({
    logger: config.logger
      ? {
          level: "info",
          serializers: {
            // An offer id in a URL is a short-lived claim ticket: keep it out of the logs.
            req: (req: { method: string; url: string; ip?: string }) => ({
              method: req.method,
              url: req.url.replace(/(\/oid4vci\/offers\/)[^/?#]+/, "$1[redacted]"),
              remoteAddress: req.ip,
            }),
          },
        }
      : false,
    bodyLimit: config.bodyLimit,
    // While shutting down, new requests get 503 and idle keep-alive sockets are closed, so
    // in-flight work (and the log's last batch) finishes before the database closes.
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });

  // What is open so far, closed in reverse order when the app closes or when start-up fails half-way:
  // the issuer (flushes status lists), the log (drains its batch), then LevelDB.
  const opened: Array<() => Promise<void>> = [() => db.close()];
  const closeAll = async (): Promise<void> => {
    for (const close of opened.reverse().splice(0)) await close();
  };
  try {
    const box = createSecretBox(secrets.atRestKey);
    const signer = await loadOrCreateLogSigner(sub("keys"), config.logOrigin, box);
    const log = await openLog({
      db: sub("log"),
      origin: config.logOrigin,
      signer,
      batchMaxSize: config.batchMaxSize,
      batchMaxDelayMs: config.batchMaxDelayMs,
    });
    opened.push(() => log.close());
    const issuer = await createIssuerService({
      db: sub("issuer"),
      veramoDb: sub("veramo"),
      box,
      log,
      baseUrl: config.publicUrl,
      issuanceWorkers: config.issuanceWorkers,
    });
    opened.push(() => issuer.close());
    const adminTokenHash = new Uint8Array(createHash("sha256").update(secrets.adminToken, "utf8").digest());

    app.addHook("onClose", closeAll);

    app.setErrorHandler((err, request, reply) => sendProblem(err, request, reply));
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).type("application/problem+json").send({ ...problem("http.not_found", `no route for ${request.method} ${request.url}`), instance: request.url }),
    );

    if (config.rateLimitPerMinute > 0) {
      await app.register(rateLimit, {
        max: config.rateLimitPerMinute,
        timeWindow: 60_000,
        // Per token when one is presented (hashed, so the limiter never holds a token), else per address.
        keyGenerator: (req) => {
          const auth = req.headers.authorization;
          return auth ? `t:${createHash("sha256").update(auth).digest("base64url")}` : `a:${req.ip}`;
        },
        errorResponseBuilder: (_req, ctx) => ({ ...problem("http.rate_limited", `rate limit of ${ctx.max} requests per minute reached`), retryAfter: Math.ceil(ctx.ttl / 1000), statusCode: 429, code: "http.rate_limited" }),
      });
    }

    await registerOpenApi(app);

    app.get("/healthz", async () => ({ ok: true, logSize: log.size }));
    app.get(new URL(MERITLOG_CONTEXT_URL).pathname, async (_req, reply) =>
      reply.header("cache-control", "public, max-age=86400").type("application/ld+json").send(meritlogContext),
    );

    await app.register(logRoutes, { log });
    await app.register(issuerRoutes, { service: issuer, adminTokenHash, problem: errorToProblem });
    const offers = await createOfferStore(sub("offers"));
    await app.register(oid4vciRoutes, { service: issuer, offers, baseUrl: config.publicUrl });
    await app.register(offerRoutes, { service: issuer, offers, baseUrl: config.publicUrl, problem: errorToProblem });
    const challenges = createChallengeStore({ audience: config.publicUrl });
    await app.register(verifierRoutes, {
      challenges,
      trust: async () => ({
        // Earlier DIDs (key rotation) count as the issuer's; their credentials' status lists are signed by `did`.
        issuers: (await issuer.listIssuers()).map((i) => ({
          did: i.did,
          name: i.name,
          previousDids: i.previousDids,
          retiredAt: Object.fromEntries(i.previousKeys.map((k) => [k.did, k.retiredAt])),
        })),
        logKeys: [log.verifierKey],
        knownCheckpoints: [log.checkpoint()],
      }),
      fetcher: createLocalFetcher({ log, issuer, publicUrl: config.publicUrl }),
    });

    // The wallet (built by Vite) and the verify page, as static files.
    if (existsSync(walletDist)) {
      await app.register(fastifyStatic, { root: walletDist, prefix: "/wallet/", decorateReply: false });
    } else {
      app.get("/wallet/", async () => {
        throw Object.assign(new Error("the wallet is not built; run `npm run build`"), { code: "http.not_built" });
      });
    }
    // The issuer console (built by Vite), served like the wallet.
    if (existsSync(consoleDist)) {
      await app.register(fastifyStatic, { root: consoleDist, prefix: "/issuer/", decorateReply: false });
    } else {
      app.get("/issuer/", async () => {
        throw Object.assign(new Error("the issuer console is not built; run `npm run build`"), { code: "http.not_built" });
      });
    }
    await app.register(fastifyStatic, { root: join(publicDir, "verify"), prefix: "/verify/", decorateReply: false, redirect: false });
    // Keep the query (`/verify?credential=…`) across the redirect; fragments stay in the browser anyway.
    app.get("/verify", async (req, reply) => {
      const q = req.url.indexOf("?");
      return reply.redirect(q < 0 ? "/verify/" : `/verify/${req.url.slice(q)}`);
    });
    app.get("/", async (_req, reply) => reply.redirect("/wallet/"));

    if (secrets.info.adminTokenGenerated) app.log.info({ adminTokenFile: secrets.info.adminTokenFile }, "generated the admin token on first start; it is saved in this file (mode 0600)");
    else if (secrets.info.adminTokenFile) app.log.info({ adminTokenFile: secrets.info.adminTokenFile }, "admin token is in this file");
    if (secrets.info.secretFile) app.log.info({ secretFile: secrets.info.secretFile }, "private keys are encrypted at rest with the key in this file (set MERITLOG_SECRET to supply your own)");
    app.log.info({ origin: log.origin, verifierKey: log.verifierKey, size: log.size }, "transparency log open");
  } catch (err) {
    await app.close().catch(() => undefined);
    await closeAll().catch(() => undefined);
    throw err;
  }
  return app;
}
