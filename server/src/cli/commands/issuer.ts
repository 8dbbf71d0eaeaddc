import { str, usageError, type GroupCommand } from "../command.js";
import { adminToken, api, print } from "../context.js";

/** `meritlog issuer create | rotate` (admin token). */
export const issuer: GroupCommand = {
  name: "issuer",
  summary: "create an issuer or rotate its key (admin token)",
  subcommands: [
    {
      name: "create",
      summary: "create an issuer; prints its token once",
      usage: `usage: meritlog issuer create --name NAME [--url URL]

Creates an issuer with an Ed25519 did:key (POST /v1/issuers, admin token) and prints its record
with the issuer token; the token is shown only this once.`,
      options: { name: { type: "string" }, url: { type: "string" } },
      async run(p) {
        const name = str(p, "name");
        const url = str(p, "url");
        if (!name) throw usageError("--name is required", issuer.subcommands[0]!.usage);
        print(await api("POST", "/v1/issuers", await adminToken(), { name, ...(url ? { url } : {}) }));
        return 0;
      },
    },
    {
      name: "rotate",
      summary: "rotate an issuer's key: a new did:key, anchored",
      usage: `usage: meritlog issuer rotate ID

Rotates the issuer's signing key (POST /v1/issuers/ID/keys/rotate, admin token): a new did:key,
anchored in the log; credentials issued under the old key keep verifying.`,
      positionals: { min: 1, max: 1 },
      async run(p) {
        const id = p.positionals[0]!;
        print(await api("POST", `/v1/issuers/${encodeURIComponent(id)}/keys/rotate`, await adminToken()));
        return 0;
      },
    },
  ],
};
