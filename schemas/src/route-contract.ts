/**
 * The shape of one route's contract (docs/ARCHITECTURE.md "Route contracts"): the zod schemas its
 * handler validates with, and what the OpenAPI document says about it. Each route group keeps its
 * contracts next to its routes; the server turns them into `/openapi.json` (server/src/openapi.ts).
 * Browser-safe: types only.
 */
import type { z } from "zod";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "OPTIONS";

/**
 * Who may call a route (docs/API.md "Auth"); `manage-token` is the bearer token a presentation
 * request's creator got back with it (docs/API.md "Sharing that survives email").
 */
export type RouteAuth = "public" | "admin" | "issuer" | "admin-or-issuer" | "access-token" | "manage-token";

export interface RouteContract {
  method: HttpMethod;
  /** The path as registered with Fastify (`:id` parameters, `*` wildcard). */
  url: string;
  /** The OpenAPI tag: the route group (issuers, credentials, offers, oid4vci, verification, sharing, log, witness, register, admin, service, pages). */
  tag: string;
  summary: string;
  description: string;
  auth: RouteAuth;
  /** Path parameters: the schema the handler parses them with. */
  params?: z.ZodType;
  /** Query string: the schema the handler parses it with. */
  querystring?: z.ZodType;
  /** Request body: the schema the handler (or the service it calls) parses it with. */
  body?: z.ZodType;
  /** Media type of the body when not `application/json`. */
  bodyMediaType?: string;
  /**
   * Request examples by the `desc` of a case in `testdata/schemas/requests.json` (the bodies
   * docs/API.md quotes), never generated ones; each must pass `body`.
   */
  examples?: readonly string[];
  /** The one success answer: its real status (201 where something is created). */
  success: { status: number; description: string; mediaType?: string; schema?: z.ZodType };
  /** Problem codes (application/problem+json) the route can answer with, besides HTTP-level ones. */
  problems: readonly string[];
  /** Non-problem error answers a protocol prescribes (OAuth 2.0 `{error}` bodies), by status. */
  otherErrors?: Readonly<Record<number, string>>;
}
