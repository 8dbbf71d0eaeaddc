import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { z } from "zod";
import { parseInput } from "@meritlog/schemas";
import { IssuerError } from "./errors.js";
import { credentialIdSchema } from "./requests.js";
import { artifactDigest } from "./provenance.js";
import type { IssuerService } from "./service.js";
import { bearerToken } from "./tokens.js";

export interface ProvenanceRoutesOptions {
  service: IssuerService;
}

/** A co-authoring decision or registration is a few KB; an MPU lists at most 100 authors. */
const MPU_BODY_LIMIT = 64 * 1024;

/** Query of `GET /v1/mpus/{id}`: an author's link key (from their sign link). */
export const mpuReadQuerySchema = z.strictObject({ key: z.string().min(1).max(200).optional() });
/** Query of `GET /v1/provenance`: the artifact digest, hex SHA-256 or `sha256-` SRI. */
export const provenanceQuerySchema = z.strictObject({ digest: z.string().min(1).max(200) });
/** Query of `GET /v1/endorsements`: a credential id or an artifact digest. */
export const endorsementsQuerySchema = z.strictObject({ target: z.string().min(1).max(200) });

/**
 * Routes of issue 14 (docs/API.md "Provenance"): co-authored MPUs, endorsements, artifact lookup.
 * Errors are thrown as coded errors; the server renders them as problem+json.
 */
export const provenanceRoutes: FastifyPluginAsync<ProvenanceRoutesOptions> = async (app, { service }) => {
  const issuerOf = (req: FastifyRequest) => {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined)
      throw new IssuerError("auth.missing_token", "send Authorization: Bearer <token>");
    return service.authenticate(token);
  };
  const idOf = (req: FastifyRequest) => parseInput(credentialIdSchema, { ...(req.params as object) }).id;

  app.post("/v1/mpus", { bodyLimit: MPU_BODY_LIMIT }, async (req, reply) => {
    const issuer = issuerOf(req);
    return reply.code(201).send(await service.registerMpu(issuer.id, req.body));
  });

  app.get("/v1/mpus/:id", async (req, reply) => {
    const id = idOf(req);
    const { key } = parseInput(mpuReadQuerySchema, req.query ?? {});
    const issuerId = req.headers.authorization !== undefined ? issuerOf(req).id : undefined;
    const view = await service.readMpu(id, { ...(issuerId ? { issuerId } : {}), ...(key ? { key } : {}) });
    return reply.header("cache-control", "no-store").header("referrer-policy", "no-referrer").send(view);
  });

  app.post("/v1/mpus/:id/signatures", { bodyLimit: MPU_BODY_LIMIT }, async (req, reply) => {
    const id = idOf(req);
    return reply
      .code(201)
      .header("cache-control", "no-store")
      .send(await service.signMpu(id, req.body));
  });

  app.post("/v1/mpus/:id/declines", { bodyLimit: MPU_BODY_LIMIT }, async (req, reply) => {
    const id = idOf(req);
    return reply
      .code(201)
      .header("cache-control", "no-store")
      .send(await service.declineMpu(id, req.body));
  });

  app.post("/v1/endorsements", { bodyLimit: MPU_BODY_LIMIT }, async (req, reply) => {
    const issuer = issuerOf(req);
    return reply.code(201).send(await service.endorse(issuer.id, req.body));
  });

  app.post("/v1/feedback", { bodyLimit: MPU_BODY_LIMIT }, async (req, reply) => {
    const issuer = issuerOf(req);
    return reply
      .code(201)
      .header("cache-control", "no-store")
      .send(await service.feedback(issuer.id, req.body));
  });

  app.get("/v1/endorsements", async (req) => {
    const { target } = parseInput(endorsementsQuerySchema, req.query ?? {});
    const key = target.startsWith("urn:uuid:")
      ? parseInput(credentialIdSchema, { id: target }).id
      : artifactDigest(target);
    return { target: key, items: await service.endorsementsOf(key) };
  });

  app.get("/v1/provenance", async (req, reply) => {
    const { digest } = parseInput(provenanceQuerySchema, req.query ?? {});
    return reply.header("cache-control", "no-store").send(await service.provenance(digest));
  });
};
