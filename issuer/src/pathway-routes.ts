import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { parseInput } from "@meritlog/schemas";
import { z } from "zod";
import { IssuerError } from "./errors.js";
import type { PathwayService } from "./pathways.js";
import { credentialIdSchema } from "./requests.js";
import { bearerToken } from "./tokens.js";

export interface PathwayRoutesOptions {
  pathways: PathwayService;
  /** Who an issuer token belongs to (IssuerService fits). */
  service: { authenticate(token: string): { id: string } };
}

/** `GET /v1/pathways?issuer=`: an issuer id (16 hex) or one of its DIDs. */
export const pathwayListQuerySchema = z.strictObject({
  issuer: z.string().min(1).max(2048).describe("The issuer's id or DID (current or earlier)"),
});

/** A pathway id in a path: the same `urn:uuid:` form as credential ids. */
export const pathwayIdSchema = credentialIdSchema;

/** A pathway's body is a few KB at most (50 steps of 200-character names). */
const PATHWAY_BODY_LIMIT = 64 * 1024;

/**
 * Pathway routes (docs/API.md "Pathways"): publishing, correcting and archiving need the issuer's
 * token; reading is public, as a pathway is what a learner shows a third party.
 */
export const pathwayRoutes: FastifyPluginAsync<PathwayRoutesOptions> = async (app, { pathways, service }) => {
  function issuerOf(req: FastifyRequest): { id: string } {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined)
      throw new IssuerError("auth.missing_token", "send Authorization: Bearer <issuer token>");
    return service.authenticate(token);
  }
  const idOf = (req: FastifyRequest): string => parseInput(pathwayIdSchema, { ...(req.params as object) }).id;

  app.post("/v1/pathways", { bodyLimit: PATHWAY_BODY_LIMIT }, async (req, reply) => {
    const r = await pathways.publish(issuerOf(req).id, req.body);
    return reply.code(201).header("location", `/v1/pathways/${r.id}`).send(r);
  });

  app.get("/v1/pathways", async (req, reply) => {
    const { issuer } = parseInput(pathwayListQuerySchema, req.query ?? {});
    return reply.header("cache-control", "public, max-age=60").send({ items: await pathways.list(issuer) });
  });

  app.get("/v1/pathways/:id", async (req, reply) =>
    reply.header("cache-control", "public, max-age=60").send(await pathways.get(idOf(req))),
  );

  app.post("/v1/pathways/:id/supersede", { bodyLimit: PATHWAY_BODY_LIMIT }, async (req, reply) => {
    const r = await pathways.supersede(issuerOf(req).id, idOf(req), req.body);
    return reply.code(201).header("location", `/v1/pathways/${r.id}`).send(r);
  });

  app.post("/v1/pathways/:id/archive", { bodyLimit: 1024 }, async (req, reply) =>
    reply.send(await pathways.archive(issuerOf(req).id, idOf(req))),
  );
};
