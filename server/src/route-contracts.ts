// The contracts of the server's own routes (app.ts: health, the JSON-LD context, the pages) and
// the list of every route group's contracts that the OpenAPI document is built from.
import { z } from "zod";
import { MERITLOG_CONTEXT_URL, type RouteContract } from "@meritlog/schemas";
import { LOG_ROUTE_CONTRACTS } from "@meritlog/ledger";
import { ISSUER_ROUTE_CONTRACTS, OFFER_ROUTE_CONTRACTS, OID4VCI_ROUTE_CONTRACTS } from "@meritlog/issuer";
import { VERIFIER_ROUTE_CONTRACTS } from "@meritlog/verifier";

/** `POST /v1/admin/backup` body (backup.ts checks it itself: a bad `dir` is `backup.bad_request`). */
const backupRequestSchema = z.strictObject({ dir: z.string().min(1).max(4096).describe("absolute path on the server") });

const SERVER_ROUTE_CONTRACTS = [
  {
    method: "GET",
    url: "/healthz",
    tag: "service",
    summary: "Health",
    description: "`{ok, logSize}`: the service is up and its log is open.",
    auth: "public",
    success: { status: 200, description: "Healthy.", schema: z.object({ ok: z.boolean(), logSize: z.number().int() }) },
    problems: [],
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
    description: "Redirects to `/verify/` (keeping the query), where a person pastes or opens a credential or presentation and reads the report.",
    auth: "public",
    success: { status: 302, description: "Redirect to `/verify/`." },
    problems: [],
  },
  {
    method: "GET",
    url: "/wallet/",
    tag: "pages",
    summary: "The wallet",
    description: "The learner wallet (static files built by Vite). Answers 503 `http.not_built` until `npm run build` has built it.",
    auth: "public",
    success: { status: 200, description: "The wallet app.", mediaType: "text/html" },
    problems: ["http.not_built"],
  },
  {
    method: "POST",
    url: "/v1/admin/backup",
    tag: "service",
    summary: "Back up the live database",
    description: "Writes a consistent backup into `dir`, an absolute path on the server's filesystem (absent or empty); `meritlog backup` calls it.",
    auth: "admin",
    body: backupRequestSchema,
    success: { status: 201, description: "The backup's manifest." },
    problems: ["auth.missing_token", "auth.admin_required", "backup.bad_request", "backup.target_not_empty", "backup.failed"],
  },
  {
    method: "GET",
    url: "/s/:id",
    tag: "pages",
    summary: "A lasting share",
    description: "The page of a lasting share; its script reads the id from the path and fetches the live report from `/v1/shares/{id}`.",
    auth: "public",
    params: z.object({ id: z.string() }),
    success: { status: 200, description: "The share page.", mediaType: "text/html" },
    problems: [],
  },
  {
    method: "GET",
    url: "/v1/register/stats",
    tag: "service",
    summary: "Public register statistics",
    description: "Aggregate counts of credentials by issuer, type, state and month; cells below 5 are suppressed.",
    auth: "public",
    success: { status: 200, description: "The aggregate tables." },
    problems: [],
  },
  {
    method: "GET",
    url: "/register",
    tag: "pages",
    summary: "The public register",
    description: "Redirects to `/register/`, the page that renders the register statistics.",
    auth: "public",
    success: { status: 302, description: "Redirect to `/register/`." },
    problems: [],
  },
  {
    method: "GET",
    url: "/issuer/",
    tag: "pages",
    summary: "The issuer console",
    description: "The issuer console (static files built by Vite): offers, credentials, batches. Answers 503 `http.not_built` until `npm run build` has built it.",
    auth: "public",
    success: { status: 200, description: "The console app.", mediaType: "text/html" },
    problems: ["http.not_built"],
  },
] as const satisfies readonly RouteContract[];

/** Every route group's contracts: the OpenAPI document is built from these (openapi.ts). */
export const ROUTE_CONTRACTS: readonly RouteContract[] = [
  ...SERVER_ROUTE_CONTRACTS,
  ...LOG_ROUTE_CONTRACTS,
  ...ISSUER_ROUTE_CONTRACTS,
  ...OID4VCI_ROUTE_CONTRACTS,
  ...OFFER_ROUTE_CONTRACTS,
  ...VERIFIER_ROUTE_CONTRACTS,
];
