import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { z } from "zod";
import type { RouteContract } from "@meritlog/schemas";
import { ERROR_STATUS, isErrorCode, problemType, type ErrorCode } from "./problem.js";
import { ROUTE_CONTRACTS } from "./route-contracts.js";

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

/** RFC 6749 §5.2 error body of the OAuth endpoints. */
const oauthErrorSchema = {
  type: "object",
  required: ["error"],
  properties: { error: { type: "string" }, error_description: { type: "string" } },
} as const;

type Json = Record<string, unknown>;

/** OpenAPI path of a Fastify URL (`:id` → `{id}`, `*` → `{*}`, as @fastify/swagger writes them). */
export const openApiPath = (url: string): string =>
  url.replace(/:([A-Za-z0-9_]+)/g, "{$1}").replace(/\*/g, "{*}");

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) of what a client sends: zod's input side. */
function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    unrepresentable: "any",
    io: "input",
  }) as Json;
  return rest;
}

/** Codes any route may answer without its handler's doing (rate limit, failure); body parsing adds more. */
function httpLevelCodes(c: RouteContract): ErrorCode[] {
  const codes: ErrorCode[] = ["http.rate_limited", "internal.error"];
  if (c.body) codes.push("http.body_too_large");
  // A JSON body may not parse; a text body (the witness's) is taken with any content type.
  if (c.body && c.bodyMediaType === undefined) codes.push("http.bad_json", "http.unsupported_media_type");
  return codes;
}

interface Corpus {
  cases: { desc: string; input: unknown }[];
}

/**
 * The request bodies docs/API.md quotes, from the schemas' test corpus (testdata/schemas/requests.json),
 * so the document shows the bodies the tests send. Absent outside a repository checkout.
 */
function loadExamples(): Map<string, unknown> | undefined {
  try {
    const corpus = JSON.parse(
      readFileSync(new URL("../../testdata/schemas/requests.json", import.meta.url), "utf8"),
    ) as Corpus;
    return new Map(corpus.cases.map((c) => [c.desc, c.input]));
  } catch {
    return undefined;
  }
}

/**
 * One OpenAPI operation from a route contract: tag, summary, description, parameters, body with
 * its documented examples, the real success status, and a problem+json response per status
 * listing the codes the route can answer with.
 * @throws Error when a contract names a problem code or an example the project does not have
 */
function operationFor(c: RouteContract, examples: Map<string, unknown> | undefined): Json {
  const op: Json = { tags: [c.tag], summary: c.summary, description: c.description };
  if (c.auth !== "public") op.security = [{ bearer: [] }];

  const parameters: Json[] = [];
  for (const [where, schema] of [
    ["path", c.params],
    ["query", c.querystring],
  ] as const) {
    if (!schema) continue;
    const s = jsonSchema(schema) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, p] of Object.entries(s.properties ?? {})) {
      parameters.push({
        name,
        in: where,
        required: where === "path" || (s.required ?? []).includes(name),
        schema: p,
      });
    }
  }
  if (parameters.length > 0) op.parameters = parameters;

  if (c.body) {
    const media: Json = { schema: jsonSchema(c.body) };
    if (c.examples && examples) {
      media.examples = Object.fromEntries(
        c.examples.map((desc) => {
          if (!examples.has(desc))
            throw new Error(
              `route ${c.method} ${c.url}: no case "${desc}" in testdata/schemas/requests.json`,
            );
          return [
            desc.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, ""),
            { summary: desc, value: examples.get(desc) },
          ];
        }),
      );
    }
    op.requestBody = { required: true, content: { [c.bodyMediaType ?? "application/json"]: media } };
  }

  const responses: Record<string, { description: string; content?: Record<string, Json> }> = {};
  const ok = c.success;
  responses[String(ok.status)] = {
    description: ok.description,
    ...(ok.status === 204 || ok.status === 302
      ? {}
      : {
          content: {
            [ok.mediaType ?? "application/json"]: ok.schema ? { schema: jsonSchema(ok.schema) } : {},
          },
        }),
  };
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...c.problems, ...httpLevelCodes(c)]) {
    if (!isErrorCode(code))
      throw new Error(`route ${c.method} ${c.url}: "${code}" is not an error code (server/src/problem.ts)`);
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...new Set([...(byStatus.get(status) ?? []), code])]);
  }
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    responses[String(status)] = {
      description: `Problem: ${codes.map((x) => `\`${x}\``).join(", ")}`,
      content: {
        "application/problem+json": {
          schema: { $ref: "#/components/schemas/Problem" },
          examples: Object.fromEntries(
            codes.map((code) => [
              code,
              { value: { type: problemType(code), title: code, status, detail: "…", code } },
            ]),
          ),
        },
      },
    };
  }
  for (const [status, description] of Object.entries(c.otherErrors ?? {})) {
    const prior = responses[status];
    responses[status] = {
      description: prior ? `${description} ${prior.description}` : description,
      content: { ...(prior?.content ?? {}), "application/json": { schema: oauthErrorSchema } },
    };
  }
  op.responses = responses;
  return op;
}

/**
 * `GET /openapi.json` and interactive docs at `/docs`. Every operation comes from its route's
 * contract (route-contracts.ts and each route group's): the document and the validators use the
 * same zod schemas. A registered route without a contract keeps the bare operation @fastify/swagger
 * writes (no tag, no summary), which tests/openapi.test.ts refuses.
 */
export async function registerOpenApi(
  app: FastifyInstance,
  contracts: readonly RouteContract[] = ROUTE_CONTRACTS,
): Promise<void> {
  const examples = loadExamples();
  const operations = new Map(
    contracts.map((c) => [`${c.method} ${openApiPath(c.url)}`, operationFor(c, examples)]),
  );
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
    transformObject: (doc) => {
      const openapi = (doc as { openapiObject: { paths?: Record<string, Record<string, Json>> } })
        .openapiObject;
      for (const [path, ops] of Object.entries(openapi.paths ?? {})) {
        for (const method of Object.keys(ops)) {
          const op = operations.get(`${method.toUpperCase()} ${path}`);
          if (op) ops[method] = structuredClone(op);
        }
      }
      return openapi as never;
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
