// The contracts of the pathway routes (pathway-routes.ts; docs/API.md "Pathways").
import { pathwayRequestSchema, type RouteContract } from "@meritlog/schemas";
import { pathwayIdSchema, pathwayListQuerySchema } from "./pathway-routes.js";
import { CLAIMS_PROBLEMS } from "./route-contracts.js";

const ISSUER_AUTH = ["auth.missing_token", "auth.bad_token"] as const;

export const PATHWAY_ROUTE_CONTRACTS = [
  {
    method: "POST",
    url: "/v1/pathways",
    tag: "pathways",
    summary: "Publish a pathway",
    description:
      'Publishes a pathway (name, description, the achievements it groups, ordered or not, optional minimum review levels), anchored as a `kind: "pathway"` log entry whose digest is the SHA-256 of the canonical document. Completing a pathway does not create a certification.',
    auth: "issuer",
    body: pathwayRequestSchema,
    success: {
      status: 201,
      description: "The pathway with `id`, `digest`, `state`, `receipt` and `history`.",
    },
    problems: [...ISSUER_AUTH, "schema.invalid", ...CLAIMS_PROBLEMS, "log.overloaded"],
  },
  {
    method: "GET",
    url: "/v1/pathways",
    tag: "pathways",
    summary: "List an issuer's pathways",
    description: "`{items: [<pathway>]}`, oldest first, every version (superseded and archived ones too).",
    auth: "public",
    querystring: pathwayListQuerySchema,
    success: { status: 200, description: "The issuer's pathways." },
    problems: ["schema.invalid", "issuer.not_found"],
  },
  {
    method: "GET",
    url: "/v1/pathways/:id",
    tag: "pathways",
    summary: "Read a pathway",
    description:
      "The pathway as published, with its state (`active`, `superseded`, `archived`), `supersededBy`, the receipt of its publication and its history.",
    auth: "public",
    params: pathwayIdSchema,
    success: { status: 200, description: "The pathway." },
    problems: ["schema.invalid", "pathway.not_found"],
  },
  {
    method: "POST",
    url: "/v1/pathways/:id/supersede",
    tag: "pathways",
    summary: "Correct a pathway",
    description:
      "Publishes a new pathway that names this one in `supersedes`; this one becomes `superseded` and stays readable, since credentials may have been issued under it.",
    auth: "issuer",
    params: pathwayIdSchema,
    body: pathwayRequestSchema,
    success: { status: 201, description: "The new pathway." },
    problems: [
      ...ISSUER_AUTH,
      "schema.invalid",
      ...CLAIMS_PROBLEMS,
      "pathway.not_found",
      "pathway.not_active",
      "log.overloaded",
    ],
  },
  {
    method: "POST",
    url: "/v1/pathways/:id/archive",
    tag: "pathways",
    summary: "Archive a pathway",
    description: "Retires an active pathway (anchored `archive` event); it stays readable.",
    auth: "issuer",
    params: pathwayIdSchema,
    success: { status: 200, description: 'The pathway with `state: "archived"`.' },
    problems: [...ISSUER_AUTH, "schema.invalid", "pathway.not_found", "pathway.not_active", "log.overloaded"],
  },
] as const satisfies readonly RouteContract[];
