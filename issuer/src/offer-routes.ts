import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { parseInput } from "@meritlog/schemas";
import { IssuerError } from "./errors.js";
import type { OfferStore } from "./offers.js";
import { offerIdParamSchema, offerListQuerySchema, offerResponse, parseOfferBody } from "./offer-requests.js";
import { batchBodySchema } from "./requests.js";
import { BATCH_BODY_LIMIT, basicProblem } from "./routes.js";
import { bearerToken } from "./tokens.js";

export interface OfferRoutesOptions {
  service: { authenticate(token: string): { id: string } };
  /** The same store the OpenID4VCI routes redeem from. */
  offers: OfferStore;
  /** Public base URL for links; derived from the request when absent. */
  baseUrl?: string;
  now?: () => Date;
  problem?: (err: unknown) => Record<string, unknown>;
}

/**
 * The issuer's management of its offers (docs/API.md "Offers that survive real delivery"):
 * listing with state, one offer, cancel, reissue, and batch creation. `POST /v1/offers` and the
 * redemption endpoints are in oid4vci.ts. No route here ever returns a stored secret: links,
 * codes and tx_codes exist only in the answers that create them.
 */
export const offerRoutes: FastifyPluginAsync<OfferRoutesOptions> = async (app, opts) => {
  const { service, offers, problem = basicProblem } = opts;
  const now = opts.now ?? (() => new Date());
  const baseOf = (request: FastifyRequest): string =>
    (opts.baseUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, "");
  function issuerOf(req: FastifyRequest): { id: string } {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined)
      throw new IssuerError("auth.missing_token", "send Authorization: Bearer <issuer token>");
    return service.authenticate(token);
  }
  const idOf = (req: FastifyRequest): string =>
    parseInput(offerIdParamSchema, { ...(req.params as object) }).id;

  app.get("/v1/offers", async (req, reply) => {
    const issuer = issuerOf(req);
    const q = parseInput(offerListQuerySchema, req.query ?? {});
    return reply.header("cache-control", "no-store").send(await offers.list(issuer.id, q));
  });

  app.get("/v1/offers/:id", async (req, reply) => {
    const issuer = issuerOf(req);
    return reply.header("cache-control", "no-store").send(await offers.get(issuer.id, idOf(req)));
  });

  app.delete("/v1/offers/:id", async (req, reply) => {
    const issuer = issuerOf(req);
    return reply.header("cache-control", "no-store").send(await offers.cancel(issuer.id, idOf(req)));
  });

  app.post("/v1/offers/:id/reissue", { bodyLimit: 1024 }, async (req, reply) => {
    const issuer = issuerOf(req);
    const { view, created } = await offers.reissue(issuer.id, idOf(req));
    return reply
      .code(201)
      .header("cache-control", "no-store")
      .send({ ...offerResponse(created, baseOf(req)), state: view.state, reference: view.reference });
  });

  /** Up to 1000 offers; each item validated as `POST /v1/offers`; refused items carry their problem. */
  app.post("/v1/offers/batch", { bodyLimit: BATCH_BODY_LIMIT }, async (req, reply) => {
    const issuer = issuerOf(req);
    const { items } = parseInput(batchBodySchema, req.body);
    const base = baseOf(req);
    const at = now();
    const parsed = items.map((item, index) => {
      try {
        return { index, ...parseOfferBody(item, at) };
      } catch (error) {
        return { index, error };
      }
    });
    // Every valid offer of the batch in one synced write (offers.ts createMany): none is
    // acknowledged unless all of them are durable.
    const valid = parsed.filter(
      (p): p is Extract<(typeof parsed)[number], { request: unknown }> => !("error" in p),
    );
    const created = await offers.createMany(
      issuer.id,
      valid.map((p) => ({ request: p.request, options: p.options })),
    );
    const byIndex = new Map(valid.map((p, i) => [p.index, created[i]!]));
    const results = parsed.map((p): Record<string, unknown> => {
      if ("error" in p) return { index: p.index, error: problem(p.error) };
      const { id, walletLink, offerUri, expiresAt, txCode } = offerResponse(byIndex.get(p.index)!, base);
      return {
        index: p.index,
        id,
        walletLink,
        offerUri,
        expiresAt,
        ...(txCode !== undefined ? { txCode } : {}),
      };
    });
    return reply.code(201).header("cache-control", "no-store").send({ results });
  });
};
