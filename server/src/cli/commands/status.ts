import { str, usageError, type LeafCommand } from "../command.js";
import { api, issuerToken, print } from "../context.js";

// The actions and reasons are written out, not joined from @meritlog/schemas: loading the schemas
// (zod) at start-up cost every `meritlog` command ~0.25 s; server/test/cli-usage.test.ts keeps
// this text equal to STATUS_ACTIONS and STATUS_REASONS.
const USAGE = `usage: meritlog status ID [--token TOKEN]
       meritlog status ID ACTION --reason REASON [--note NOTE] [--token TOKEN]

Without ACTION, prints the credential's record: current status and full history with receipts.
ACTION is suspend | reinstate | revoke | archive; revoke and archive are final. --reason is required:
issued-in-error, unsupported, unsafe, misclassified, overclaimed, duplicated, superseded, under-review, expired-relevance, other (other requires --note).
The issuer token comes from --token or MERITLOG_TOKEN.`;

/** `meritlog status`: read a credential's record, or change its status with a stated reason. */
export const status: LeafCommand = {
  name: "status",
  summary: "show a credential's record, or suspend | reinstate | revoke | archive it",
  usage: USAGE,
  options: { reason: { type: "string" }, note: { type: "string" }, token: { type: "string" } },
  positionals: { min: 1, max: 2 },
  async run(p) {
    const [id, action] = p.positionals as [string, string | undefined];
    const reason = str(p, "reason");
    const note = str(p, "note");
    const token = issuerToken(str(p, "token"));
    const path = `/v1/credentials/${encodeURIComponent(id)}`;
    if (action === undefined) {
      if (reason !== undefined || note !== undefined)
        throw usageError("--reason and --note go with an ACTION", USAGE);
      print(await api("GET", path, token));
      return 0;
    }
    const { STATUS_ACTIONS: ACTIONS, STATUS_REASONS: REASONS } = await import("@meritlog/schemas");
    if (!(ACTIONS as readonly string[]).includes(action))
      throw usageError(`unknown action "${action}"`, USAGE);
    // A status change is public and permanent in the log: never guess its reason.
    if (reason === undefined) throw usageError(`${action} needs --reason (${REASONS.join(", ")})`, USAGE);
    print(
      await api("POST", `${path}/status`, token, { action, reason, ...(note !== undefined ? { note } : {}) }),
    );
    return 0;
  },
};
