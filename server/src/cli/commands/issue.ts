import { open } from "node:fs/promises";
import { str, usageError, type LeafCommand } from "../command.js";
import { api, issuerToken, print, readUserFile } from "../context.js";
import { readTable, toCsv } from "../csv.js";
import { CliError } from "../errors.js";
import { readTemplate } from "../claims-template.js";

const USAGE = `usage: meritlog issue --type TYPE --file claims.json [--subject DID] [--token TOKEN]
       meritlog issue --csv ROWS.csv --type TYPE --file claims.json [--out RESULTS.csv] [--token TOKEN]

Issues one credential (POST /v1/credentials) with the issuer token from --token or MERITLOG_TOKEN.
TYPE is MicroCredential, Attribution or MPUAuthorship; claims.json holds the claims of that type
(docs/API.md "Credentials"); --subject sets subject.id. Prints {id, jwt, receipt, status}.

--csv issues one credential per row in one request (POST /v1/credentials/batch, at most 1000
rows): valid rows are issued even when others are refused. Columns (header line first; subject
is required): subject (the learner's DID), name (achievement name, object name or MPU title),
validUntil, activityStartDate, activityEndDate (ISO 8601), image and imageDigest (MicroCredential
badge image: https URL with its sha256-<base64> digest, or a data: URI). Writes one result row
per input row (line, subject, id, state, leafIndex, error, detail, jwt) as CSV to --out (never
overwritten) or to stdout. Exit status 0 when every row was issued, 1 when some were refused (each with its
problem code), 2 for usage or connection errors.`;

const RESULT_COLUMNS = ["line", "subject", "id", "state", "leafIndex", "error", "detail", "jwt"] as const;
/** Most rows of one file: the batch route's limit (docs/API.md). */
const MAX_ROWS = 1000;

type BatchResult =
  | { index: number; error: { code?: string; detail?: string } }
  | { index: number; id: string; jwt: string; receipt: { leafIndex: number }; status: { state: string } };

/** `meritlog issue`: one credential from a claims file, or one per row of a CSV file. */
export const issue: LeafCommand = {
  name: "issue",
  summary: "issue a credential, or one per row of a CSV file (issuer token)",
  usage: USAGE,
  options: {
    type: { type: "string" },
    file: { type: "string" },
    subject: { type: "string" },
    csv: { type: "string" },
    out: { type: "string" },
    token: { type: "string" },
  },
  async run(p) {
    const template = await readTemplate(str(p, "type"), str(p, "file"), USAGE);
    const token = issuerToken(str(p, "token"));
    const csv = str(p, "csv");
    const subject = str(p, "subject");
    if (csv === undefined) {
      if (str(p, "out") !== undefined) throw usageError("--out goes with --csv", USAGE);
      const body = { ...template, ...(subject ? { subject: { id: subject } } : {}) };
      print(await api("POST", "/v1/credentials", token, body));
      return 0;
    }
    if (subject !== undefined) throw usageError("with --csv the subject is a column, not --subject", USAGE);
    // Loaded here, not at start-up: the schemas (zod) cost every other command ~0.25 s to load.
    const { COHORT_ROW_COLUMNS, cohortRowRequest } = await import("@meritlog/schemas");
    const rows = await readTable(await readUserFile(csv), {
      file: csv,
      known: ["subject", ...COHORT_ROW_COLUMNS],
      required: ["subject"],
      maxRows: MAX_ROWS,
    });
    const items = rows.map(({ cells }) => cohortRowRequest(template, cells, cells.subject));
    const outPath = str(p, "out");
    // Opened before anything is issued: a run that cannot record its results issues nothing.
    const out = outPath === undefined ? undefined : await openNew(outPath);
    try {
      const { results } = (await api("POST", "/v1/credentials/batch", token, { items })) as {
        results: BatchResult[];
      };
      let refused = 0;
      const lines = results.map((r) => {
        const row = rows[r.index]!;
        const base = { line: row.line, subject: row.cells.subject };
        if ("error" in r) {
          refused++;
          console.error(`line ${row.line}: ${r.error.code ?? "refused"}: ${r.error.detail ?? ""}`);
          return { ...base, error: r.error.code, detail: r.error.detail };
        }
        return { ...base, id: r.id, state: r.status.state, leafIndex: r.receipt.leafIndex, jwt: r.jwt };
      });
      const text = toCsv(RESULT_COLUMNS, lines);
      if (out) {
        await out.writeFile(text);
        await out.sync();
        console.error(`${results.length - refused} issued, ${refused} refused; results in ${outPath}`);
      } else process.stdout.write(text);
      return refused > 0 ? 1 : 0;
    } finally {
      await out?.close();
    }
  },
};

/** Opens a results file that must not exist yet. @throws CliError `cli.usage` */
async function openNew(path: string) {
  try {
    return await open(path, "wx", 0o600);
  } catch (cause) {
    throw new CliError(
      "cli.usage",
      (cause as NodeJS.ErrnoException).code === "EEXIST"
        ? `${path} exists; choose another --out`
        : `cannot write ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
}
