// A cancel racing a redemption (issue 11): whatever the interleaving, an offer ends with exactly
// one outcome — cancelled and no credential, or redeemed (one credential, one log entry) and the
// cancel refused with 409 `offer.not_pending` — on the LevelDB and on the PostgreSQL offer store.
// The group commit is slowed (batchMaxDelayMs) so a credential request spends a while between
// reading the offer and anchoring the credential: the window a cancel used to slip through.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSchema, type TestSchema } from "@meritlog/postgres";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiOfferExamples } from "./helpers/api-examples.js";

const PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
/** Cancel offsets (ms) from the credential request: before it, during issuance, and late. */
const OFFSETS = [-40, 0, 20, 60, 120, 250];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Backend {
  name: string;
  start(): Promise<RunningServer>;
  stop(): Promise<void>;
}

let schema: TestSchema | undefined;
const BACKENDS: Backend[] = [
  { name: "LevelDB", start: () => startServer({ batchMaxDelayMs: 150 }), stop: async () => undefined },
  {
    name: "PostgreSQL",
    async start() {
      schema = await createTestSchema();
      return await startServer({
        batchMaxDelayMs: 150,
        databaseUrl: schema.url,
        secret: "offer cancel race",
        logOrigin: "offer-cancel-race.test/log",
      });
    },
    stop: async () => {
      await schema?.drop();
    },
  },
];

for (const backend of BACKENDS) {
  describe(`cancel during redemption (${backend.name})`, () => {
    let server: RunningServer;
    let token = "";
    beforeAll(async () => {
      server = await backend.start();
      token = (
        (
          await call(server.url, "POST", "/v1/issuers", {
            token: ADMIN_TOKEN,
            body: { name: "Race Academy" },
          })
        ).body as { token: string }
      ).token;
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await backend.stop();
    });

    const logSize = async (): Promise<number> =>
      ((await call(server.url, "GET", "/healthz")).body as { logSize: number }).logSize;

    /** An offer opened in a wallet: its id, and an access token with a c_nonce. */
    async function openedOffer(): Promise<{ id: string; accessToken: string; cNonce: string }> {
      const made = await call(server.url, "POST", "/v1/offers", {
        token,
        body: apiOfferExamples().microCredential,
      });
      expect(made.status, made.text).toBe(201);
      const { id, preAuthorizedCode } = made.body as { id: string; preAuthorizedCode: string };
      const tok = await call(server.url, "POST", "/oid4vci/token", {
        body: { grant_type: PRE_AUTHORIZED_GRANT, "pre-authorized_code": preAuthorizedCode },
      });
      expect(tok.status, tok.text).toBe(200);
      const { access_token, c_nonce } = tok.body as { access_token: string; c_nonce: string };
      return { id, accessToken: access_token, cNonce: c_nonce };
    }

    it("ends every interleaving with exactly one outcome", async () => {
      const outcomes: string[] = [];
      for (const offset of OFFSETS) {
        const o = await openedOffer();
        const h = newHolder();
        const proof = h.signJwt(
          { typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: h.kid },
          { aud: server.url, iat: Math.floor(Date.now() / 1000), nonce: o.cNonce },
        );
        const before = await logSize();
        const redeem = async () => {
          if (offset < 0) await sleep(-offset);
          return await call(server.url, "POST", "/oid4vci/credential", {
            token: o.accessToken,
            body: { credential_configuration_id: "MicroCredential", proofs: { jwt: [proof] } },
          });
        };
        const cancel = async () => {
          if (offset > 0) await sleep(offset);
          return await call(server.url, "DELETE", `/v1/offers/${o.id}`, { token });
        };
        const [cred, cancelled] = await Promise.all([redeem(), cancel()]);
        const record = (await call(server.url, "GET", `/v1/offers/${o.id}`, { token })).body as {
          state: string;
          credentialId?: string;
        };
        const listed = (
          (await call(server.url, "GET", `/v1/credentials?offer=${o.id}`, { token })).body as {
            items: unknown[];
          }
        ).items;
        const what = `offset ${offset} ms: credential ${cred.status} ${cred.text.slice(0, 120)}; cancel ${cancelled.status} ${cancelled.text.slice(0, 120)}`;
        if (cred.status === 200) {
          // Redeemed: the cancel was refused, the record names the one credential, the log grew by one.
          expect(cancelled.status, what).toBe(409);
          expect((cancelled.body as { code: string }).code, what).toBe("offer.not_pending");
          expect(record.state, what).toBe("redeemed");
          expect(record.credentialId, what).toBe((cred.body as { credentialId: string }).credentialId);
          expect(listed, what).toHaveLength(1);
          expect(await logSize(), what).toBe(before + 1);
          outcomes.push("redeemed");
        } else {
          // Cancelled: the wallet was told so, nothing was issued or logged.
          expect(cancelled.status, what).toBe(200);
          expect(cred.status, what).toBe(400);
          expect(cred.body, what).toMatchObject({
            error: "credential_request_denied",
            code: "offer.not_pending",
          });
          expect(record.state, what).toBe("cancelled");
          expect(record.credentialId, what).toBeUndefined();
          expect(listed, what).toHaveLength(0);
          expect(await logSize(), what).toBe(before);
          outcomes.push("cancelled");
        }
      }
      // Both outcomes happen across the offsets: a cancel first wins, a cancel during issuance loses.
      expect(outcomes[0]).toBe("cancelled");
      expect(outcomes).toContain("redeemed");
    }, 120_000);

    it("a credential request refused before issuing leaves the offer cancellable", async () => {
      const o = await openedOffer();
      // A proof over a nonce that is not the c_nonce fails before anything is held: the offer stays pending.
      const h = newHolder();
      const bad = await call(server.url, "POST", "/oid4vci/credential", {
        token: o.accessToken,
        body: {
          credential_configuration_id: "MicroCredential",
          proofs: {
            jwt: [
              h.signJwt(
                { typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: h.kid },
                { aud: server.url, iat: Math.floor(Date.now() / 1000), nonce: "not-the-nonce" },
              ),
            ],
          },
        },
      });
      expect(bad.status).toBe(400);
      const cancelled = await call(server.url, "DELETE", `/v1/offers/${o.id}`, { token });
      expect(cancelled.status, cancelled.text).toBe(200);
      expect((cancelled.body as { state: string }).state).toBe("cancelled");
    }, 60_000);
  });
}
