import type { FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { jsonSchemas } from "@meritlog/schemas";

const problemSchema = {
  type: "object",
  description: "RFC 9457 problem details with a stable machine `code` (docs/API.md, Errors).",
  required: ["type", "title", "status", "detail", "code"] as string[],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string" },
    instance: { type: "string" },
  },
} as const;

const receiptSchema = {
  type: "object",
  required: ["origin", "leafIndex", "entry", "inclusionProof", "checkpoint"],
  properties: {
    origin: { type: "string" },
    leafIndex: { type: "integer", minimum: 0 },
    entry: { type: "string", description: "RFC 8785 canonical JSON of the log entry" },
    inclusionProof: { type: "array", items: { type: "string", description: "base64 hash" } },
    checkpoint: { type: "string", description: "C2SP signed note" },
  },
} as const;

/** `POST /v1/verify` bodies (docs/API.md "Verification"); the verifier's zod schema is the one enforced. */
const verifyRequestSchema = {
  oneOf: [
    { type: "object", required: ["credential"], additionalProperties: false, properties: { credential: { type: "string" }, receipt: receiptSchema } },
    {
      type: "object",
      required: ["presentation", "nonce", "audience"],
      additionalProperties: false,
      properties: { presentation: { type: "string" }, nonce: { type: "string" }, audience: { type: "string" } },
    },
  ],
};

/**
 * `GET /openapi.json` and interactive docs at `/docs`. Routes validate with zod in their handlers,
 * so the request schemas here are documentation generated from the same zod schemas (`jsonSchemas()`),
 * attached by path rather than compiled into Fastify's validator.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  const bodies = jsonSchemas() as Record<string, object>;
  // Request bodies by route, and which routes need a bearer token (docs/API.md "Auth").
  const bodyFor: Record<string, object | undefined> = {
    "POST /v1/issuers": bodies.CreateIssuerRequest,
    "POST /v1/credentials": bodies.IssueRequest,
    "POST /v1/credentials/:id/status": bodies.StatusChangeRequest,
    "POST /v1/credentials/:id/supersede": bodies.IssueRequest,
    "POST /v1/credentials/:id/renew": bodies.IssueRequest,
    "POST /v1/anchors": bodies.AnchorRequest,
    "POST /v1/offers": bodies.OfferRequest,
    "POST /v1/credentials/batch": { type: "object", required: ["items"], properties: { items: { type: "array", minItems: 1, maxItems: 1000, items: bodies.IssueRequest } } },
    "POST /v1/offers/batch": { type: "object", required: ["items"], properties: { items: { type: "array", minItems: 1, maxItems: 1000, items: bodies.OfferRequest } } },
    "POST /v1/verify": verifyRequestSchema,
  };
  const bearerless = new Set(["POST /v1/verify"]);
  const bearer = new Set([...Object.keys(bodyFor).filter((k) => !bearerless.has(k)), "GET /v1/credentials/:id", "POST /v1/issuers/:id/keys/rotate", "GET /v1/credentials", "GET /v1/offers", "GET /v1/offers/:id", "DELETE /v1/offers/:id", "POST /v1/offers/:id/reissue"]);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "meritlog",
        version: "0.1.0",
        description:
          "Micro-credentials, contribution attributions and MPU authorship as W3C Verifiable Credentials, anchored in a Merkle transparency log. Nothing issued here is a certification, licence, approval or financial instrument.",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
        schemas: { Problem: problemSchema as never },
      },
    },
    transform: ({ schema, url, route }) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const keys = methods.map((m) => `${m} ${url}`);
      const body = keys.map((k) => bodyFor[k]).find(Boolean);
      const out = { ...(schema ?? {}) } as Record<string, unknown>;
      if (body && !out.body) out.body = body;
      if (keys.some((k) => bearer.has(k))) out.security = [{ bearer: [] }];
      return { schema: out as never, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
