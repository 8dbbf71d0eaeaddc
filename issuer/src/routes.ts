import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { parseInput } from "@meritlog/schemas";
import { IssuerError } from "./errors.js";
import type { IssuerRecord } from "./issuers.js";
import { credentialsCsv } from "./credential-listing.js";
import { resultsJson } from "./batch-reply.js";
import {
  batchBodySchema,
  credentialIdSchema,
  credentialListQuerySchema,
  issueQuerySchema,
  issuerIdSchema,
  listIdSchema,
} from "./requests.js";
import type { IssuerService } from "./service.js";
import { bearerToken, tokenMatches } from "./tokens.js";
import { requireAdmin as adminOnly } from "./admin-auth.js";

export interface IssuerRoutesOptions {
  service: IssuerService;
  /** SHA-256 of the admin token (the server holds the token; we only ever compare hashes). */
  adminTokenHash: Uint8Array;
  /** Renders a refused batch item as RFC 9457 problem details (the server passes its own; default: code, status, detail). */
  problem?: (err: unknown) => Record<string, unknown>;
}

/** A coded error as a minimal problem object, when the server gives no renderer. */
export function basicProblem(err: unknown): Record<string, unknown> {
  const e = err as { code?: unknown; status?: unknown; message?: unknown; path?: unknown };
  const code = typeof e?.code === "string" ? e.code : "internal.error";
  return {
    type: `urn:meritlog:problem:${code}`,
    status: typeof e?.status === "number" ? e.status : 500,
    code,
    detail: typeof e?.message === "string" ? e.message : code,
    ...(typeof e?.path === "string" ? { path: e.path } : {}),
  };
}

/**
 * HTTP routes of the issuer (docs/API.md "Issuers", "Credentials", status lists, anchors), an
 * encapsulated Fastify plugin. Errors are thrown as coded errors (IssuerError, SchemaError);
 * the server's error handler renders them as problem+json.
 */
/** Body limits per route, whatever the server's global limit: a credential request is a few KB. */
/** A credential body: room for a 64 KB data: badge image (issue 12) besides the claims. */
export const CREDENTIAL_BODY_LIMIT = 192 * 1024;
const SMALL_BODY_LIMIT = 8 * 1024;
/** Batch routes: 1000 items of the API.md example size fit (docs/API.md "What an issuer has issued"). */
export const BATCH_BODY_LIMIT = 4 * 1024 * 1024;

export const issuerRoutes: FastifyPluginAsync<IssuerRoutesOptions> = async (
  app,
  { service, adminTokenHash, problem = basicProblem },
) => {
  function presentedToken(req: FastifyRequest): string {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined)
      throw new IssuerError("auth.missing_token", "send Authorization: Bearer <token>");
    return token;
  }

  /** The issuer whose token was presented. @throws 401 `auth.missing_token` / `auth.bad_token` */
  function issuerOf(req: FastifyRequest): IssuerRecord {
    return service.authenticate(presentedToken(req));
  }

  /** @throws 401 without a valid token, 403 `auth.admin_required` for an issuer token */
  function requireAdmin(req: FastifyRequest): void {
    adminOnly(req.headers.authorization, adminTokenHash, (t) => service.authenticate(t));
  }

  const format = (req: FastifyRequest) => parseInput(issueQuerySchema, req.query ?? {}).format;

  app.post("/v1/issuers", { bodyLimit: SMALL_BODY_LIMIT }, async (req, reply) => {
    requireAdmin(req);
    return reply.code(201).send(await service.createIssuer(req.body));
  });

  app.get("/v1/issuers", async () => await service.listIssuers());

  /** The issuer of the presented token (the console's sign-in check): its public registry entry. */
  app.get("/v1/issuers/me", async (req, reply) => {
    const issuer = issuerOf(req);
    const pub = service.getIssuer(issuer.id);
    if (!pub) throw new IssuerError("issuer.not_found", "the token's issuer is not registered");
    return reply.header("cache-control", "no-store").send(pub);
  });

  /** Key rotation: the admin token or the issuer's own token (another issuer's: 403 `auth.forbidden`). */
  app.post("/v1/issuers/:id/keys/rotate", { bodyLimit: SMALL_BODY_LIMIT }, async (req, reply) => {
    const token = presentedToken(req);
    const caller = tokenMatches(token, adminTokenHash) ? undefined : service.authenticate(token);
    const { id } = parseInput(issuerIdSchema, { ...(req.params as object) });
    if (caller && caller.id !== id)
      throw new IssuerError("auth.forbidden", "an issuer token can rotate only its own issuer's key");
    return reply.code(201).send(await service.rotateKey(id));
  });

  /**
   * Issuer tokens (admin only): POST replaces the token (200, the new one shown once, the old one
   * dead); DELETE withdraws it (200, no token works until the next POST). Both are anchored.
   */
  app.post("/v1/issuers/:id/token", { bodyLimit: SMALL_BODY_LIMIT }, async (req) => {
    requireAdmin(req);
    const { id } = parseInput(issuerIdSchema, { ...(req.params as object) });
    return await service.changeToken(id, false);
  });
  app.delete("/v1/issuers/:id/token", async (req) => {
    requireAdmin(req);
    const { id } = parseInput(issuerIdSchema, { ...(req.params as object) });
    return await service.changeToken(id, true);
  });

  app.post("/v1/credentials", { bodyLimit: CREDENTIAL_BODY_LIMIT }, async (req, reply) => {
    const issuer = issuerOf(req);
    const result = await service.issue(issuer.id, req.body, {
      vc11: format(req) === "vc1.1",
      di: format(req) === "di",
      sdJwt: format(req) === "sd-jwt",
    });
    return reply.code(201).send(result);
  });

  /** The issuer's own credentials; `Accept: text/csv` gives the same rows as RFC 4180 CSV. */
  app.get("/v1/credentials", async (req, reply) => {
    const issuer = issuerOf(req);
    const q = parseInput(credentialListQuerySchema, req.query ?? {});
    const page = await service.listCredentials(issuer.id, q);
    void reply.header("cache-control", "no-store").header("vary", "accept");
    const accept = req.headers.accept ?? "";
    if (/\btext\/csv\b/i.test(accept)) {
      if (page.next !== null)
        void reply.header(
          "link",
          `<?${new URLSearchParams({ ...(req.query as Record<string, string>), cursor: page.next }).toString()}>; rel="next"`,
        );
      return reply.type("text/csv; charset=utf-8").send(credentialsCsv(page.items));
    }
    return page;
  });

  /** Up to 1000 credentials, one group commit; valid items are issued even when others are refused. */
  app.post("/v1/credentials/batch", { bodyLimit: BATCH_BODY_LIMIT }, async (req, reply) => {
    const issuer = issuerOf(req);
    const { items } = parseInput(batchBodySchema, req.body);
    const outcomes = await service.issueBatch(issuer.id, items);
    const body = resultsJson(
      outcomes.map((o) =>
        "result" in o ? { index: o.index, ...o.result } : { index: o.index, error: problem(o.error) },
      ),
    );
    return reply.code(201).type("application/json; charset=utf-8").send(body);
  });

  app.get("/v1/credentials/:id", async (req) => {
    const issuer = issuerOf(req);
    const { id } = parseInput(credentialIdSchema, { ...(req.params as object) });
    return await service.getRecord(id, issuer.id);
  });

  app.post("/v1/credentials/:id/status", { bodyLimit: SMALL_BODY_LIMIT }, async (req) => {
    const issuer = issuerOf(req);
    const { id } = parseInput(credentialIdSchema, { ...(req.params as object) });
    return await service.changeStatus(issuer.id, id, req.body);
  });

  for (const how of ["supersede", "renew"] as const) {
    app.post(`/v1/credentials/:id/${how}`, { bodyLimit: CREDENTIAL_BODY_LIMIT }, async (req, reply) => {
      const issuer = issuerOf(req);
      const { id } = parseInput(credentialIdSchema, { ...(req.params as object) });
      const result = await service[how](issuer.id, id, req.body, {
        vc11: format(req) === "vc1.1",
        di: format(req) === "di",
        sdJwt: format(req) === "sd-jwt",
      });
      return reply.code(201).send(result);
    });
  }

  app.post("/v1/anchors", { bodyLimit: SMALL_BODY_LIMIT }, async (req, reply) => {
    const issuer = issuerOf(req);
    return reply.code(201).send(await service.anchor(issuer.id, req.body));
  });

  app.get("/v1/status/:listId", async (req, reply) => {
    const { listId } = parseInput(listIdSchema, { ...(req.params as object) });
    const jwt = await service.statusListJwt(listId);
    // Short shared caching: a change is re-signed within the list's refresh interval anyway.
    return reply.header("cache-control", "public, max-age=5").type("application/vc+jwt").send(jwt);
  });
};
