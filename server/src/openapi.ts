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

/**
 * `GET /openapi.json` and interactive docs at `/docs`. Routes validate with zod in their handlers,
 * so the request schemas here are documentation generated from the same zod schemas (`jsonSchemas()`),
 * attached by path rather than compiled into Fastify's validator.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  const bodies = jsonSchemas() as Record<string, object>;
  const bodyFor: Record<string, object | undefined> = {
    "POST /v1/credentials": bodies.IssueRequest ?? bodies.issueRequest,
    "POST /v1/offers": bodies.OfferRequest ?? bodies.offerRequest,
  };
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
      const body = methods.map((m) => bodyFor[`${m} ${url}`]).find(Boolean);
      const out = { ...(schema ?? {}) } as Record<string, unknown>;
      if (body && !out.body) out.body = body;
      return { schema: out as never, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
