// Every lifecycle state as a third party sees it: through POST /v1/verify (lists + anchored history),
// and through the status lists alone (what a verifier that knows nothing of meritlog sees).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCredential } from "@meritlog/verifier/core";
import { nodeEd25519 } from "@meritlog/verifier";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";

const SRI = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
const SRI2 = "sha256-LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=";
const holder = newHolder();
const body = (evidence = SRI) => ({
  type: "MicroCredential",
  subject: { id: holder.did },
  achievement: {
    name: "Bill of Materials Literacy",
    description: "Prepared a bill of materials for a solar dryer.",
    criteria: { narrative: "A reviewed bill of materials." },
  },
  scope: { covers: ["preparing a bill of materials"], excludes: ["procurement decisions"] },
  reviewLevel: "peer",
  evidence: [{ id: "https://example.org/bom.pdf", digestSRI: evidence }],
  validUntil: "2030-01-01T00:00:00Z",
});

type Issued = { id: string; jwt: string };
type Report = { verdict: string; checks: { status: { ok: unknown; state: string; message: string } } };

let server: RunningServer;
let token = "";
let registry: { did: string; name: string }[] = [];

async function issue(evidence?: string): Promise<Issued> {
  const r = await call(server.url, "POST", "/v1/credentials", { token, body: body(evidence) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as Issued;
}
const act = async (id: string, action: string, reason: string) =>
  expect(
    (
      await call(server.url, "POST", `/v1/credentials/${encodeURIComponent(id)}/status`, {
        token,
        body: { action, reason },
      })
    ).status,
  ).toBe(200);

async function listsOnly(jwt: string): Promise<Report> {
  return (await verifyCredential(jwt, undefined, {
    now: new Date(),
    ed25519: nodeEd25519,
    trust: { issuers: registry, logKeys: [] },
    fetcher: { statusList: async (url) => await (await fetch(url)).text() },
  })) as unknown as Report;
}

beforeAll(async () => {
  server = await startServer();
  token = (
    (
      await call(server.url, "POST", "/v1/issuers", {
        token: ADMIN_TOKEN,
        body: { name: "Solar Dryer Collective" },
      })
    ).body as { token: string }
  ).token;
  registry = (await call(server.url, "GET", "/v1/issuers")).body as typeof registry;
});
afterAll(async () => {
  await server?.close();
});

describe("lifecycle states seen by a third party", () => {
  it("reports each state, and a list-only verifier never sees a final state as active", async () => {
    const active = await issue();
    const suspended = await issue();
    await act(suspended.id, "suspend", "under-review");
    const revoked = await issue();
    await act(revoked.id, "revoke", "overclaimed");
    const archived = await issue();
    await act(archived.id, "archive", "expired-relevance");
    const old = await issue();
    const corrected = await call(server.url, "POST", `/v1/credentials/${encodeURIComponent(old.id)}/renew`, {
      token,
      body: body(SRI2),
    });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(201);

    const cases: Array<[Issued, string, string, string]> = [
      // credential, state via /v1/verify, verdict, state from the lists alone
      [active, "active", "valid", "active"],
      [suspended, "suspended", "invalid", "suspended"],
      [revoked, "revoked", "invalid", "revoked"],
      [archived, "archived", "invalid", "revoked"],
      [old, "superseded", "invalid", "revoked"],
    ];
    for (const [cred, state, verdict, listState] of cases) {
      const r = (await call(server.url, "POST", "/v1/verify", { body: { credential: cred.jwt } }))
        .body as Report;
      expect(r.checks.status.state, `${state}: ${r.checks.status.message}`).toBe(state);
      expect(r.verdict).toBe(verdict);
      const alone = await listsOnly(cred.jwt);
      expect(alone.checks.status.state, `${state} from lists: ${alone.checks.status.message}`).toBe(
        listState,
      );
    }
    const renewed = (corrected.body as Issued).jwt;
    expect(
      ((await call(server.url, "POST", "/v1/verify", { body: { credential: renewed } })).body as Report)
        .verdict,
    ).toBe("valid");
  });

  it("judges a long history by its newest events and reports only the newest of them", async () => {
    // 101 suspend/reinstate pairs: the 200th event is a suspension, the last a reinstatement. A
    // verifier that kept the first 200 events called this credential suspended.
    const c = await issue();
    for (let i = 0; i < 101; i++) {
      await act(c.id, "suspend", "under-review");
      await act(c.id, "reinstate", "under-review");
    }
    const r = (await call(server.url, "POST", "/v1/verify", { body: { credential: c.jwt } })).body as {
      verdict: string;
      checks: { status: { state: string; history: { kind: string }[]; historyTotal?: number } };
    };
    expect(r.checks.status.state).toBe("active");
    expect(r.verdict).toBe("valid");
    const { history, historyTotal } = r.checks.status;
    expect(historyTotal).toBeGreaterThanOrEqual(203);
    expect(history.length).toBe(50);
    expect(history.at(-1)!.kind).toBe("reinstate");
    expect(history.at(-2)!.kind).toBe("suspend");
  });

  it("moves a credential in a /verify query into the fragment, which browsers never send", async () => {
    for (const path of ["/verify?credential=abc", "/verify/?credential=abc"]) {
      const res = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toBe("/verify/#credential=abc");
    }
    const plain = await fetch(`${server.url}/verify`, { redirect: "manual" });
    expect(plain.headers.get("location")).toBe("/verify/");
  });
});
