import { createHash, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyInstance } from "fastify";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import { MERITLOG_CONTEXT_URL, meritlogContext } from "@meritlog/schemas";
import { utf8 } from "@meritlog/core";
import { nodeSha256 } from "@meritlog/core/node";
import {
  createWitness,
  loadOrCreateLogSigner,
  loadOrCreateWitnessCosigner,
  logRoutes,
  openLog,
  parseWitnessList,
  witnessLog,
  witnessRoutes,
} from "@meritlog/ledger";
import {
  createIssuerService,
  createOfferStore,
  createSecretBox,
  issuerRoutes,
  offerRoutes,
  createPathwayService,
  levelPathwayStore,
  pgPathwayStore,
  pathwayRoutes,
  oid4vciRoutes,
  provenanceRoutes,
  isIssuerTokenShaped,
} from "@meritlog/issuer";
import {
  createChallengeStore,
  createGuardedFetch,
  createSharingStore,
  createVerifierCache,
  guardedFetcher,
  verifierRoutes,
  type Fetcher,
} from "@meritlog/verifier";
import type { ServerConfig } from "./config.js";
import { errorToProblem, problem, sendProblem } from "./problem.js";
import { loadSecrets } from "./secrets.js";
import { registerOpenApi } from "./openapi.js";
import { createLocalFetcher } from "./local-fetcher.js";
import { clientErrorHandler, frameworkErrors, registerHardening } from "./http-hardening.js";
import { redactUrl } from "./redact.js";
import { registerJsonReply } from "./json-reply.js";
import { qrSvg } from "./qr.js";
import { checkAgainstExternal, openDataFolder, storeOf } from "./data-folder.js";
import { StartRefused } from "./errors.js";
import { checkSealedKeys, checkPgSealedKeys } from "./fsck.js";
import { backupRoutes } from "./backup.js";
import { openPgStores } from "./pg-stores.js";
import { openPgStorage } from "./storage-pg.js";
import { reportCatalogue } from "./report-catalogue.js";
import { StorageError } from "@meritlog/postgres";

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
  // Refuses (StartRefused) a folder whose database, secret or origin is not what it was initialised with.
  const folder = await openDataFolder(config);
  let secrets: Awaited<ReturnType<typeof loadSecrets>>;
  try {
    secrets = await loadSecrets(config.dataDir, config);
  } catch (err) {
    await folder.db.close().catch(() => undefined);
    await folder.restore();
    throw err;
  }
  const db = folder.db;
  const sub = (name: string) => storeOf(db, name);

  const app = Fastify({
    logger: config.logger
      ? {
          level: "info",
          serializers: {
            // Query strings may carry tokens or a whole credential (/verify), an offer id in a URL is a
            // claim ticket, a share or request id a lasting capability: none of them reaches a log line.
            req: (req: { method: string; url: string; ip?: string }) => ({
              method: req.method,
              url: redactUrl(req.url),
              remoteAddress: req.ip,
            }),
          },
        }
      : false,
    bodyLimit: config.bodyLimit,
    // Slow clients (a body trickled byte by byte) are cut off: the whole request within
    // requestTimeoutMs, headers within a third of it (Node http.Server requestTimeout / headersTimeout),
    // checked every second rather than Node's default 30 s.
    requestTimeout: config.requestTimeoutMs,
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.max(1, Math.floor(config.requestTimeoutMs / 3)),
      connectionsCheckingInterval: Math.max(1, Math.min(1000, Math.floor(config.requestTimeoutMs / 4))),
      // Node answers a missing Host with a bare 400; registerHardening answers it as problem+json.
      requireHostHeader: false,
    },
    clientErrorHandler,
    frameworkErrors,
    // While shutting down, new requests get 503 problem+json `server.shutting_down`
    // (registerHardening; Fastify's own 503 has no stable code) and idle keep-alive sockets are
    // closed, so in-flight work (and the log's last batch) finishes before the database closes.
    return503OnClosing: false,
    forceCloseConnections: "idle",
  });

  // What is open so far, closed in reverse order when the app closes or when start-up fails half-way:
  // the issuer (flushes status lists), the log (drains its batch), then LevelDB.
  const opened: Array<() => Promise<void>> = [() => db.close(), () => folder.close()];
  const closeAll = async (): Promise<void> => {
    for (const close of opened.reverse().splice(0)) await close();
  };
  try {
    const box = createSecretBox(secrets.atRestKey);
    // A log key is generated only when this start initialises the folder, never for an existing database.
    // MERITLOG_DATABASE_URL: the log and its key live in PostgreSQL, shared by every node (storage-pg.ts).
    const pg =
      config.databaseUrl === undefined
        ? undefined
        : await openPgStorage(config.databaseUrl, folder.origin, box);
    if (pg !== undefined) opened.push(() => pg.close());
    const signer =
      pg?.signer ??
      (await loadOrCreateLogSigner(sub("keys"), folder.origin, box, {
        create: folder.firstStart,
      }));
    const logOptions = {
      batchMaxSize: config.batchMaxSize,
      batchMaxDelayMs: config.batchMaxDelayMs,
      // The newest checkpoint reaches the file outside the database before any append resolves.
      onCommit: (checkpoint: string) => folder.saveCheckpoint(checkpoint),
    };
    const log = witnessLog({
      log:
        pg !== undefined
          ? await pg.openLog(logOptions)
          : await openLog({ db: sub("log"), origin: folder.origin, signer, ...logOptions }),
      // Witnessing (C2SP tlog-witness) runs after each durable commit, never inside it (docs/ARCHITECTURE.md "Witnesses").
      witnesses: parseWitnessList(config.witnesses),
      timeoutMs: config.witnessTimeoutMs,
      waitMs: config.witnessWaitMs,
      onAttempt: (a) => {
        if (!a.ok)
          app.log.warn(
            { witness: a.name, size: a.size, status: a.status, detail: a.detail },
            "witness did not cosign",
          );
      },
    });
    opened.push(() => log.close());
    // Start checks (the cheap part of `meritlog fsck`): the stored tree against the published
    // checkpoint, and every sealed key opens with this secret.
    if (folder.externalCheckpoint !== undefined) {
      const wrong = await checkAgainstExternal(log, folder.externalCheckpoint);
      if (wrong !== undefined) throw new StartRefused(wrong);
    }
    const keyProblems = await checkSealedKeys(db, box);
    if (keyProblems.length > 0) throw new StartRefused(`sealed keys do not open: ${keyProblems.join("; ")}`);
    // MERITLOG_DATABASE_URL: every non-log store in PostgreSQL (pg-stores.ts), shared by all nodes.
    // On the log's pool (storage-pg.ts), which closes it.
    const stores = pg
      ? await openPgStores({
          pool: pg.pool,
          box,
          audience: config.publicUrl,
          ...(config.now ? { now: config.now } : {}),
        })
      : undefined;
    // On PostgreSQL the issuer keys and the log key are in the database (its tables exist now).
    const pgKeyProblems = pg ? await checkPgSealedKeys(pg.pool, box) : [];
    if (pgKeyProblems.length > 0)
      throw new StartRefused(`sealed keys do not open: ${pgKeyProblems.join("; ")}`);
    // One verifier cache, told by the issuer the moment one of this service's lists changes.
    const verifierCache = createVerifierCache();
    // Before the issuer: co-authored MPUs offer each author's credential through the same store.
    const offers = stores ? stores.offers : await createOfferStore(sub("offers"));
    const issuer = await createIssuerService({
      offers,
      ...(stores ? { backend: stores.issuerBackend } : {}),
      db: sub("issuer"),
      veramoDb: sub("veramo"),
      box,
      log,
      baseUrl: config.publicUrl,
      issuanceWorkers: config.issuanceWorkers,
      statusList: { onChange: (url) => verifierCache.statusLists.delete(url) },
      ...(config.now ? { now: config.now } : {}),
    });
    opened.push(() => issuer.close());
    const adminTokenHash = new Uint8Array(nodeSha256(utf8(secrets.adminToken)));

    app.addHook("onClose", closeAll);

    app.setErrorHandler((err, request, reply) => sendProblem(err, request, reply));
    app.setNotFoundHandler((request, reply) =>
      reply
        .code(404)
        .type("application/problem+json")
        .send({
          ...problem("http.not_found", `no route for ${request.method} ${redactUrl(request.url)}`),
          instance: redactUrl(request.url),
        }),
    );
    registerHardening(app, config.requestTimeoutMs);
    registerJsonReply(app);
    // Several nodes on one database: an issuer token created or rotated on another node a moment
    // ago is looked up in the database before any route (or the rate limiter) judges it.
    if (stores)
      // Callback-style, so a request without a token (every verification) costs no promise.
      app.addHook("onRequest", (req, _reply, done) => {
        const auth = req.headers.authorization;
        if (auth === undefined) return done();
        const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
        // Only a token of the issued shape can be new on another node: made-up ones cost no read.
        if (!m?.[1] || !isIssuerTokenShaped(m[1])) return done();
        issuer.knowIssuerToken(m[1]).then(
          () => done(),
          (err: Error) => done(err),
        );
      });

    if (config.rateLimitPerMinute > 0) {
      await app.register(rateLimit, {
        ...(stores ? { store: stores.rateLimitStore } : {}),
        max: config.rateLimitPerMinute,
        timeWindow: 60_000,
        // Per verified caller (the admin, or the issuer whose token it is), else per client address:
        // keyed by the raw header, every random `Bearer` value had a fresh budget (issue 9 defect 6).
        keyGenerator: (req) => {
          const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? "");
          if (m) {
            if (timingSafeEqual(createHash("sha256").update(m[1]!, "utf8").digest(), adminTokenHash))
              return "admin";
            try {
              return `i:${issuer.authenticate(m[1]!).id}`;
            } catch {
              // not a valid token: counted against the address it came from
            }
          }
          return `a:${req.ip}`;
        },
        errorResponseBuilder: (_req, ctx) => ({
          ...problem("http.rate_limited", `rate limit of ${ctx.max} requests per minute reached`),
          retryAfter: Math.ceil(ctx.ttl / 1000),
          statusCode: 429,
          code: "http.rate_limited",
        }),
      });
    }

    await registerOpenApi(app);

    app.get("/healthz", async () => {
      // A node whose database is unreachable is unhealthy: a load balancer stops sending it work.
      if (pg !== undefined && !(await pg.reachable()))
        throw new StorageError("storage.unavailable", "the database is unavailable; retry shortly");
      return { ok: true, logSize: log.size, storage: pg === undefined ? "leveldb" : "postgres" };
    });
    app.get(new URL(MERITLOG_CONTEXT_URL).pathname, async (_req, reply) =>
      reply
        .header("cache-control", "public, max-age=86400")
        .type("application/ld+json")
        .send(meritlogContext),
    );

    await app.register(logRoutes, {
      log,
      witnesses: log.witnesses,
      ...(config.witnessQuorum !== undefined ? { witnessQuorum: config.witnessQuorum } : {}),
    });
    if (config.witness) {
      const cosigner = await loadOrCreateWitnessCosigner(sub("keys"), config.witnessName, box);
      const witness = createWitness({ db: sub("witness"), cosigner, logs: config.witnessedLogs });
      await app.register(witnessRoutes, { witness });
      app.log.info(
        { witnessKey: cosigner.key.verifierKey, logs: config.witnessedLogs.length },
        "witness on (POST /witness/add-checkpoint)",
      );
    }
    await app.register(backupRoutes, {
      db,
      ...(pg ? { pool: pg.pool } : {}),
      dataDir: config.dataDir,
      adminTokenHash,
      authenticate: (t) => issuer.authenticate(t),
    });
    await app.register(issuerRoutes, { service: issuer, adminTokenHash, problem: errorToProblem });
    await app.register(oid4vciRoutes, { service: issuer, offers, baseUrl: config.publicUrl });
    await app.register(offerRoutes, {
      service: issuer,
      offers,
      baseUrl: config.publicUrl,
      problem: errorToProblem,
    });
    const pathways = createPathwayService({
      store:
        pg && stores
          ? pgPathwayStore(pg.pool, stores.issuerBackend.writer)
          : levelPathwayStore(sub("issuer")),
      log,
      issuers: issuer,
      ...(config.now ? { now: config.now } : {}),
    });
    await app.register(pathwayRoutes, { pathways, service: issuer });
    const challenges = stores ? stores.challenges : createChallengeStore({ audience: config.publicUrl });
    await app.register(verifierRoutes, {
      challenges,
      cache: verifierCache,
      decodeWorkers: config.verifyWorkers,
      trustVersion: () => issuer.registryVersion(),
      trust: async () => ({
        // Earlier DIDs (key rotation) count as the issuer's; their credentials' status lists are signed by `did`.
        issuers: (await issuer.listIssuers()).map((i) => ({
          did: i.did,
          name: i.name,
          previousDids: i.previousDids,
          retiredAt: Object.fromEntries(i.previousKeys.map((k) => [k.did, k.retiredAt])),
        })),
        logKeys: [log.verifierKey, ...config.trustedLogs],
        knownCheckpoints: [log.checkpoint()],
        witnesses: [...log.witnesses],
        ...(config.witnessQuorum !== undefined ? { witnessQuorum: config.witnessQuorum } : {}),
      }),
      fetcher: verifierFetcher(
        config,
        createLocalFetcher({
          log,
          issuer,
          publicUrl: config.publicUrl,
          // Embedded LevelDB only: this process is its one writer, so its reads can be kept (issue 10).
          ...(stores ? {} : { embedded: { db, issuerPrefix: db.sublevel("issuer").prefix } }),
        }),
      ),
      ...(config.now ? { now: config.now } : {}),
      sharing: {
        store: stores ? stores.sharing : createSharingStore(sub("sharing")),
        baseUrl: config.publicUrl,
        qrSvg,
      },
    });

    // The wallet (built by Vite) and the verify page, as static files.
    if (existsSync(walletDist)) {
      await app.register(fastifyStatic, { root: walletDist, prefix: "/wallet/", decorateReply: false });
    } else {
      app.get("/wallet/", async () => {
        throw Object.assign(new Error("the wallet is not built; run `npm run build`"), {
          code: "http.not_built",
        });
      });
    }
    // The issuer console (built by Vite), served like the wallet.
    if (existsSync(consoleDist)) {
      await app.register(fastifyStatic, { root: consoleDist, prefix: "/issuer/", decorateReply: false });
    } else {
      app.get("/issuer/", async () => {
        throw Object.assign(new Error("the issuer console is not built; run `npm run build`"), {
          code: "http.not_built",
        });
      });
    }
    // The report sentences of the /verify catalogue, for the wallet (report-catalogue.ts): a page
    // asset like the /verify files, so hidden from the API document as they are.
    let reportSentences: ReturnType<typeof reportCatalogue> | undefined;
    app.get("/verify/report-messages.json", { schema: { hide: true } }, async (_req, reply) =>
      reply
        .header("cache-control", "public, max-age=3600")
        .send(await (reportSentences ??= reportCatalogue(publicDir))),
    );
    await app.register(fastifyStatic, {
      root: join(publicDir, "verify"),
      prefix: "/verify/",
      decorateReply: false,
      redirect: false,
    });
    // Old links put the credential in the query (`/verify?credential=…`): move it into the
    // fragment, which browsers never send, so no server (this one or a proxy) logs it again.
    // Callback-style: every request passes through it (issue 10).
    app.addHook("onRequest", (req, reply, done) => {
      if (req.method !== "GET" || !/^\/verify\/?\?/.test(req.url)) return done();
      void reply
        .header("cache-control", "no-store")
        .header("referrer-policy", "no-referrer")
        .redirect(`/verify/#${req.url.slice(req.url.indexOf("?") + 1)}`, 303);
    });
    app.get("/verify", async (_req, reply) => reply.redirect("/verify/"));
    // A lasting share (docs/API.md "Sharing that survives email"): one page for every id; its
    // script reads the id from the path and fetches the live report from /v1/shares/{id}.
    const sharePage = readFileSync(join(publicDir, "verify", "share.html"));
    app.get("/s/:id", async (_req, reply) =>
      reply
        .type("text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .header("referrer-policy", "no-referrer")
        .send(sharePage),
    );
    // The public register (docs/API.md "Public register"): aggregate counts only, cells below 5 suppressed.
    app.get("/v1/register/stats", async (_req, reply) =>
      reply.header("cache-control", "public, max-age=60").send(await issuer.registerStats()),
    );
    await app.register(fastifyStatic, {
      root: join(publicDir, "register"),
      prefix: "/register/",
      decorateReply: false,
      redirect: false,
    });
    app.get("/register", async (_req, reply) => reply.redirect("/register/"));
    // Provenance (docs/API.md "Provenance"): co-authored MPUs, endorsements, artifact lookup and its page.
    await app.register(provenanceRoutes, { service: issuer });
    await app.register(fastifyStatic, {
      root: join(publicDir, "provenance"),
      prefix: "/provenance/",
      decorateReply: false,
      redirect: false,
    });
    app.get("/provenance", async (_req, reply) => reply.redirect("/provenance/"));
    app.get("/", async (_req, reply) => reply.redirect("/wallet/"));

    if (secrets.info.adminTokenGenerated)
      app.log.info(
        { adminTokenFile: secrets.info.adminTokenFile },
        "generated the admin token on first start; it is saved in this file (mode 0600)",
      );
    else if (secrets.info.adminTokenFile)
      app.log.info({ adminTokenFile: secrets.info.adminTokenFile }, "admin token is in this file");
    if (secrets.info.secretFile)
      app.log.info(
        { secretFile: secrets.info.secretFile },
        "private keys are encrypted at rest with the key in this file (set MERITLOG_SECRET to supply your own)",
      );
    app.log.info(
      { origin: log.origin, verifierKey: log.verifierKey, size: log.size },
      "transparency log open",
    );
    await folder.started(log);
  } catch (err) {
    await app.close().catch(() => undefined);
    await closeAll().catch(() => undefined);
    await folder.restore();
    throw asStartRefusal(err);
  }
  return app;
}

/** Any failure of a start as one sentence: damage found while opening is a refusal, not a crash. */
function asStartRefusal(err: unknown): StartRefused {
  if (err instanceof StartRefused) return err;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown };
  const what = typeof e?.message === "string" ? e.message : String(err);
  const code = typeof e?.code === "string" ? ` (${e.code})` : "";
  const cause = e?.cause instanceof Error ? `: ${e.cause.message}` : "";
  return new StartRefused(
    `the data folder could not be opened as it is${code}: ${what}${cause}`.replace(/\s+/g, " "),
  );
}

/**
 * What the verifier may fetch: this service's own lists, log and records locally; with
 * `MERITLOG_FETCH` on (the default), did:web documents and other services' status lists through
 * the guarded fetcher (https, public addresses only, 5 s, 1 MB, cached with their fetch time).
 */
function verifierFetcher(config: ServerConfig, local: Fetcher): Fetcher {
  if (!config.fetch) return local;
  const own = `${config.publicUrl}/`;
  const trustedOrigins = config.trustedLogs.map((k) => k.slice(0, k.indexOf("+")));
  return guardedFetcher(
    createGuardedFetch({ selfOrigin: config.publicUrl }),
    local,
    (url) => url.startsWith(own),
    trustedOrigins,
  );
}
