// The contracts of the server's own routes (app.ts: health, the JSON-LD context, the pages, the
// public register; backup.ts: the admin backup) and the list of every route group's contracts
// that the OpenAPI document is built from.
import { z } from "zod";
import { MERITLOG_CONTEXT_URL, type RouteContract } from "@meritlog/schemas";
import { LOG_ROUTE_CONTRACTS, WITNESS_ROUTE_CONTRACTS } from "@meritlog/ledger";
import {
  ISSUER_ROUTE_CONTRACTS,
  OFFER_ROUTE_CONTRACTS,
  OID4VCI_ROUTE_CONTRACTS,
  PATHWAY_ROUTE_CONTRACTS,
} from "@meritlog/issuer";
import { PROVENANCE_ROUTE_CONTRACTS } from "@meritlog/issuer";
import { SHARING_ROUTE_CONTRACTS, VERIFIER_ROUTE_CONTRACTS } from "@meritlog/verifier";
import { backupRequestSchema } from "./backup.js";

/** The provenance page (docs/API.md "Provenance"): a static page over `GET /v1/provenance`. */
const PROVENANCE_PAGE_CONTRACTS = [
  {
    method: "GET",
    url: "/provenance",
    tag: "pages",
    summary: "The provenance page",
    description: "Redirects to `/provenance/`.",
    auth: "public",
    success: { status: 302, description: "Redirect to `/provenance/`." },
    problems: [],
  },
  {
    method: "GET",
    url: "/provenance/",
    tag: "pages",
    summary: "Look up a file's provenance",
    description:
      "A person drops a file (hashed in the browser, never uploaded) or pastes a digest and sees every claim recorded about it, each receipt checked in the browser against the log.",
    auth: "public",
    success: { status: 200, description: "The provenance page.", mediaType: "text/html" },
    problems: [],
  },
] as const satisfies readonly RouteContract[];

const SERVER_ROUTE_CONTRACTS = [
  {
    method: "GET",
    url: "/healthz",
    tag: "service",
    summary: "Health",
    description:
      "`{ok, logSize, storage}`: the service is up, its log is open and its storage (`leveldb` or `postgres`) answers; 503 `storage.unavailable` while the database cannot be reached.",
    auth: "public",
    success: {
      status: 200,
      description: "Healthy.",
      schema: z.object({
        ok: z.boolean(),
        logSize: z.number().int(),
        storage: z.enum(["leveldb", "postgres"]),
      }),
    },
    problems: ["storage.unavailable"],
  },
  {
    method: "GET",
    url: new URL(MERITLOG_CONTEXT_URL).pathname,
    tag: "service",
    summary: "The meritlog JSON-LD context",
    description: "The `@context` document the credentials name for meritlog's own terms.",
    auth: "public",
    success: { status: 200, description: "The context.", mediaType: "application/ld+json" },
    problems: [],
  },
  {
    method: "GET",
    url: "/",
    tag: "pages",
    summary: "Home",
    description: "Redirects to the wallet.",
    auth: "public",
    success: { status: 302, description: "Redirect to `/wallet/`." },
    problems: [],
  },
  {
    method: "GET",
    url: "/verify",
    tag: "pages",
    summary: "The verify page",
    description:
      "Redirects to `/verify/` (keeping the query), where a person pastes or opens a credential or presentation and reads the report.",
    auth: "public",
    success: { status: 302, description: "Redirect to `/verify/`." },
    problems: [],
  },
  {
    method: "GET",
    url: "/wallet/",
    tag: "pages",
    summary: "The wallet",
    description:
      "The learner wallet (static files built by Vite). Answers 503 `http.not_built` until `npm run build` has built it.",
    auth: "public",
    success: { status: 200, description: "The wallet app.", mediaType: "text/html" },
    problems: ["http.not_built"],
  },
  {
    method: "GET",
    url: "/s/:id",
    tag: "pages",
    summary: "A shared credential's page",
    description:
      "The page of a lasting share (`url` of `POST /v1/shares`): the same page for every id; its script reads the id from the path and shows the live report from `GET /v1/shares/{id}`. Not cached, no referrer.",
    auth: "public",
    success: { status: 200, description: "The share page.", mediaType: "text/html" },
    problems: [],
  },
  {
    method: "GET",
    url: "/register",
    tag: "pages",
    summary: "The public register page",
    description: "Redirects to `/register/`.",
    auth: "public",
    success: { status: 302, description: "Redirect to `/register/`." },
    problems: [],
  },
  {
    method: "GET",
    url: "/register/",
    tag: "pages",
    summary: "The public register",
    description:
      "The public register of issuers and what they issued, as aggregate counts (static page over `GET /v1/register/stats`).",
    auth: "public",
    success: { status: 200, description: "The register page.", mediaType: "text/html" },
    problems: [],
  },
  {
    method: "GET",
    url: "/v1/register/stats",
    tag: "register",
    summary: "Public register statistics",
    description:
      "Aggregate counts of the credentials issued here, by issuer, type, state and month of issuance, recomputed at most once a minute. Cells below `minCell` (5) are suppressed, and `suppressed` says how many each table left out.",
    auth: "public",
    success: {
      status: 200,
      description: "`{generatedAt, minCell, total, byIssuer, byType, byState, byMonth, suppressed}`.",
    },
    problems: [],
  },
  {
    method: "POST",
    url: "/v1/admin/backup",
    tag: "admin",
    summary: "Back up the live database",
    description:
      "Writes one consistent snapshot of the live database and the data folder's files into `dir` on the server's own filesystem (an absolute path, absent or empty) and answers its manifest; `meritlog backup` calls it. Admin token.",
    auth: "admin",
    body: backupRequestSchema,
    success: { status: 201, description: "The backup's manifest." },
    problems: [
      "auth.missing_token",
      "auth.admin_required",
      "backup.bad_request",
      "backup.target_not_empty",
      "backup.failed",
    ],
  },
  {
    method: "GET",
    url: "/issuer/",
    tag: "pages",
    summary: "The issuer console",
    description:
      "The issuer console (static files built by Vite): offers, credentials, batches. Answers 503 `http.not_built` until `npm run build` has built it.",
    auth: "public",
    success: { status: 200, description: "The console app.", mediaType: "text/html" },
    problems: ["http.not_built"],
  },
] as const satisfies readonly RouteContract[];

/** Every route group's contracts: the OpenAPI document is built from these (openapi.ts). */
export const ROUTE_CONTRACTS: readonly RouteContract[] = [
  ...SERVER_ROUTE_CONTRACTS,
  ...LOG_ROUTE_CONTRACTS,
  ...WITNESS_ROUTE_CONTRACTS,
  ...ISSUER_ROUTE_CONTRACTS,
  ...OID4VCI_ROUTE_CONTRACTS,
  ...OFFER_ROUTE_CONTRACTS,
  ...PATHWAY_ROUTE_CONTRACTS,
  ...VERIFIER_ROUTE_CONTRACTS,
  ...SHARING_ROUTE_CONTRACTS,
  ...PROVENANCE_ROUTE_CONTRACTS,
  ...PROVENANCE_PAGE_CONTRACTS,
];
