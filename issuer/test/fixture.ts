import { createHash, randomBytes } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import { ISSUER_ERROR_STATUS } from "../src/errors.js";
import { issuerRoutes } from "../src/routes.js";
import { createIssuerService, type IssuerService } from "../src/service.js";
import { createSecretBox } from "../src/secret-box.js";
import { tempDb } from "./helpers.js";
import { openTestLog } from "./log.js";

export const BASE_URL = "https://issuer.test";

/** A service and the real transparency log on a fresh LevelDB; status lists re-signed on every read. */
export async function openFixture(o: { now?: () => Date; issuanceWorkers?: number } = {}) {
  const t = await tempDb();
  const secret = randomBytes(32);
  const log = await openTestLog(t.db, createSecretBox(secret));
  const open = async (): Promise<IssuerService> =>
    await createIssuerService({
      db: t.db.sublevel<string, Uint8Array>("issuer", {
        keyEncoding: "utf8",
        valueEncoding: "view",
      }) as never,
      veramoDb: t.db.sublevel<string, Uint8Array>("veramo", {
        keyEncoding: "utf8",
        valueEncoding: "view",
      }) as never,
      box: createSecretBox(secret),
      log,
      baseUrl: BASE_URL,
      statusList: { refreshMs: 0 },
      ...(o.now ? { now: o.now } : {}),
      ...(o.issuanceWorkers ? { issuanceWorkers: o.issuanceWorkers } : {}),
    });
  const service = await open();
  return {
    service,
    log,
    db: t.db,
    /** The at-rest key (MERITLOG_SECRET's role). */
    secret,
    /** Reopens the service on the same database (a restart). */
    reopen: open,
    async dispose() {
      await service.close();
      await log.close();
      await t.dispose();
    },
  };
}

/** The issuer routes on a Fastify app, with what the server's problem mapping does, reduced to the status:
 * code → our table, SchemaError → its status. Ready to inject. */
export async function openRoutesApp(
  service: IssuerService,
  adminToken: string,
  more?: (app: FastifyInstance) => Promise<void>,
): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: 1024 * 1024 });
  app.setErrorHandler((err: Error & { code?: string; status?: number; statusCode?: number }, _req, reply) => {
    const status =
      (err.code ? (ISSUER_ERROR_STATUS as Record<string, number>)[err.code] : undefined) ??
      err.status ??
      err.statusCode ??
      500;
    return reply
      .code(status)
      .type("application/problem+json")
      .send({ status, code: err.code, detail: err.message });
  });
  await app.register(issuerRoutes, {
    service,
    adminTokenHash: createHash("sha256").update(adminToken).digest(),
  });
  if (more) await more(app);
  await app.ready();
  return app;
}

/** openFixture + openRoutesApp, with two issuers made through the admin route: "Academy A" and "Academy B". */
export async function openRoutesFixture(adminToken: string) {
  const f = await openFixture();
  const app = await openRoutesApp(f.service, adminToken);
  const mk = async (name: string): Promise<{ id: string; did: string; token: string }> =>
    (
      await app.inject({
        method: "POST",
        url: "/v1/issuers",
        headers: { authorization: `Bearer ${adminToken}` },
        payload: { name },
      })
    ).json();
  const a = await mk("Academy A");
  const b = await mk("Academy B");
  return {
    f,
    app,
    a,
    b,
    async dispose() {
      await app.close();
      await f.dispose();
    },
  };
}
