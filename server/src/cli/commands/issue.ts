import { str, usageError, type LeafCommand } from "../command.js";
import { api, issuerToken, parseUserJson, print, readUserFile } from "../context.js";

const USAGE = `usage: meritlog issue --type TYPE --file claims.json [--subject DID] [--token TOKEN]

Issues one credential (POST /v1/credentials) with the issuer token from --token or MERITLOG_TOKEN.
TYPE is MicroCredential, Attribution or MPUAuthorship; claims.json holds the claims of that type
(docs/API.md "Credentials"); --subject sets subject.id. Prints {id, jwt, receipt, status}.`;

/** `meritlog issue`: one credential from a claims file. */
export const issue: LeafCommand = {
  name: "issue",
  summary: "issue a credential (issuer token)",
  usage: USAGE,
  options: {
    type: { type: "string" },
    file: { type: "string" },
    subject: { type: "string" },
    token: { type: "string" },
  },
  async run(p) {
    const type = str(p, "type");
    const file = str(p, "file");
    if (!type || !file) throw usageError("--type and --file are required", USAGE);
    const claims = parseUserJson(await readUserFile(file), file);
    if (claims === null || typeof claims !== "object" || Array.isArray(claims))
      throw usageError(`${file} must hold a JSON object of claims`, USAGE);
    const subject = str(p, "subject");
    const body = { ...claims, type, ...(subject ? { subject: { id: subject } } : {}) };
    print(await api("POST", "/v1/credentials", issuerToken(str(p, "token")), body));
    return 0;
  },
};
