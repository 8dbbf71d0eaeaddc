import { mkdir, open, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { str, usageError, type LeafCommand, type Parsed } from "../command.js";
import { api, issuerToken, print, readUserFile } from "../context.js";
import { readTable, toCsv } from "../csv.js";
import { CliError } from "../errors.js";
import { readTemplate } from "../claims-template.js";
import { qrPng } from "../../qr.js";

const USAGE = `usage: meritlog offer --type TYPE --file claims.json [--expires-in SECONDS] [--tx-code]
                      [--reference REF] [--qr FILE.png] [--token TOKEN]
       meritlog offer --csv COHORT.csv --type TYPE --file claims.json --out DIR
                      [--expires-in SECONDS] [--tx-code] [--token TOKEN]

Makes wallet offers (POST /v1/offers, or POST /v1/offers/batch for --csv) with the issuer token
from --token or MERITLOG_TOKEN. claims.json holds the claims of TYPE (MicroCredential,
Attribution, MPUAuthorship; no subject: the learner's wallet binds its own DID). Links live
--expires-in seconds (default 30 days, at most one year); --tx-code protects each with a 6-digit
code the learner must type, to be sent by another channel than the link.

One offer: prints {id, walletLink, offerUri, expiresAt, txCode?} (the link and the code are shown
this once) and, with --qr, writes the link's QR code as a PNG.

A cohort (--csv, at most 1000 rows, one request: made whole or not at all): one offer per row.
Columns (header line first, any order; only reference is required):
  reference           the learner's label in your records (never in the credential or the log)
  name                the achievement name, object name or MPU title for this row
  validUntil          end of the credential's validity (ISO 8601)
  activityStartDate   when the learning began (ISO 8601)
  activityEndDate     when the learning ended (ISO 8601)
  image               MicroCredential badge image: https URL (with imageDigest) or data: URI
  imageDigest         the image's SHA-256 as sha256-<base64> (required for an https image)
  expiresInDays       this row's link lifetime in days (1 to 365)
  txCode              yes or no: this row's link needs a 6-digit code (default: --tx-code)
  file                the QR file name for this row (default: from reference)
Writes DIR/<file>.png (the QR code of each link) and DIR/offers.csv (line, reference, id,
walletLink, txCode, expiresAt, qr, error, detail; readable only by you, as it holds the links and
codes, shown only this once). An existing DIR/offers.csv is never overwritten.
Exit status 0 when every row became an offer, 1 when the server refused some rows (each with its
problem code in offers.csv and on stderr), 2 for usage or connection errors.`;

/** The columns of a cohort file (docs/API.md "CLI details"). */
const SUMMARY_COLUMNS = [
  "line",
  "reference",
  "id",
  "walletLink",
  "txCode",
  "expiresAt",
  "qr",
  "error",
  "detail",
] as const;
/** Most rows of one cohort file: the batch route's limit (docs/API.md). */
const MAX_ROWS = 1000;

interface Made {
  id: string;
  walletLink: string;
  offerUri: string;
  expiresAt: string;
  txCode?: string;
}
type BatchResult = { index: number; error: { code?: string; detail?: string } } | ({ index: number } & Made);

function lifetime(p: Parsed): number | undefined {
  const raw = str(p, "expires-in");
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw usageError("--expires-in is a whole number of seconds", USAGE);
  return Number(raw);
}

/** A file name from a row: letters, digits, dot, dash and underscore only; never a path. */
function safeName(s: string): string {
  const base = s
    .normalize("NFKD")
    .replace(/[^\w.-]+/g, "-")
    .replace(/^[.-]+|[.-]+$/g, "")
    .slice(0, 80);
  return base === "" ? "offer" : base;
}

/** `meritlog offer`: one wallet offer, or a cohort from a CSV file with QR code PNGs and a summary. */
export const offer: LeafCommand = {
  name: "offer",
  summary: "make a wallet offer, or one per row of a CSV file, with QR code PNGs (issuer token)",
  usage: USAGE,
  options: {
    type: { type: "string" },
    file: { type: "string" },
    csv: { type: "string" },
    out: { type: "string" },
    qr: { type: "string" },
    reference: { type: "string" },
    "expires-in": { type: "string" },
    "tx-code": { type: "boolean" },
    token: { type: "string" },
  },
  async run(p) {
    const csv = str(p, "csv");
    const template = await readTemplate(str(p, "type"), str(p, "file"), USAGE);
    const expiresIn = lifetime(p);
    const txCode = p.values["tx-code"] === true;
    const token = issuerToken(str(p, "token"));
    if (csv === undefined) {
      if (str(p, "out") !== undefined) throw usageError("--out goes with --csv", USAGE);
      const reference = str(p, "reference");
      const body = {
        ...template,
        ...(expiresIn !== undefined ? { expiresIn } : {}),
        ...(txCode ? { txCode: true } : {}),
        ...(reference !== undefined ? { reference } : {}),
      };
      const made = (await api("POST", "/v1/offers", token, body)) as Made;
      const qr = str(p, "qr");
      if (qr !== undefined) await writeFile(qr, qrPng(made.walletLink));
      // The link secret and the pre-authorized code stay out of the output: the links carry them.
      print({
        id: made.id,
        walletLink: made.walletLink,
        offerUri: made.offerUri,
        expiresAt: made.expiresAt,
        ...(made.txCode !== undefined ? { txCode: made.txCode } : {}),
        ...(qr !== undefined ? { qr } : {}),
      });
      return 0;
    }

    const out = str(p, "out");
    if (out === undefined) throw usageError("--csv needs --out DIR for the QR codes and offers.csv", USAGE);
    if (str(p, "reference") !== undefined || str(p, "qr") !== undefined)
      throw usageError("--reference and --qr are per row with --csv (columns reference and file)", USAGE);
    // Loaded here, not at start-up: the schemas (zod) cost every other command ~0.25 s to load.
    const { COHORT_ROW_COLUMNS, cohortRowRequest } = await import("@meritlog/schemas");
    const rows = await readTable(await readUserFile(csv), {
      file: csv,
      known: ["reference", ...COHORT_ROW_COLUMNS, "expiresInDays", "txCode", "file"],
      required: ["reference"],
      maxRows: MAX_ROWS,
    });
    const items = rows.map(({ line, cells }) => {
      const item: Record<string, unknown> = {
        ...cohortRowRequest(template, cells),
        reference: cells.reference,
      };
      if (expiresIn !== undefined) item.expiresIn = expiresIn;
      if (cells.expiresInDays) {
        const days = Number(cells.expiresInDays);
        if (!Number.isInteger(days) || days < 1 || days > 365)
          throw usageError(`${csv} line ${line}: expiresInDays must be a whole number from 1 to 365`, USAGE);
        item.expiresIn = days * 86_400;
      }
      const wantCode = cells.txCode ? /^(yes|true)$/i.test(cells.txCode) : txCode;
      if (cells.txCode && !/^(yes|no|true|false)$/i.test(cells.txCode))
        throw usageError(`${csv} line ${line}: txCode must be yes or no`, USAGE);
      if (wantCode) item.txCode = true;
      return item;
    });

    // The summary is opened before anything is made: links and codes are shown only once, so a
    // run that could not record them must not create them.
    await mkdir(out, { recursive: true });
    const summaryPath = join(out, "offers.csv");
    let summary;
    try {
      summary = await open(summaryPath, "wx", 0o600);
    } catch (cause) {
      throw new CliError(
        "cli.usage",
        (cause as NodeJS.ErrnoException).code === "EEXIST"
          ? `${summaryPath} exists (it holds links shown only once); choose another --out`
          : `cannot write ${summaryPath}: ${(cause as Error).message}`,
        { cause },
      );
    }
    let results: BatchResult[];
    try {
      ({ results } = (await api("POST", "/v1/offers/batch", token, { items })) as { results: BatchResult[] });
    } catch (err) {
      // Nothing was made: leave no empty summary behind to block the next run.
      await summary.close();
      await rm(summaryPath, { force: true });
      throw err;
    }
    try {
      const used = new Set<string>();
      const lines: Record<string, unknown>[] = [];
      let refused = 0;
      for (const r of results) {
        const row = rows[r.index]!;
        const base = { line: row.line, reference: row.cells.reference };
        if ("error" in r) {
          refused++;
          console.error(
            `line ${row.line} (${row.cells.reference}): ${r.error.code ?? "refused"}: ${r.error.detail ?? ""}`,
          );
          lines.push({ ...base, error: r.error.code, detail: r.error.detail });
          continue;
        }
        let name = safeName(row.cells.file || row.cells.reference || `line-${row.line}`).replace(
          /\.png$/i,
          "",
        );
        if (used.has(name.toLowerCase())) name = `${name}-line${row.line}`;
        used.add(name.toLowerCase());
        let qr = `${name}.png`;
        try {
          await writeFile(join(out, qr), qrPng(r.walletLink), { flag: "wx" });
        } catch (err) {
          // The offer exists: its link still goes into the summary, only the picture is missing.
          console.error(`line ${row.line}: cannot write ${qr}: ${(err as Error).message}`);
          qr = "";
        }
        lines.push({
          ...base,
          id: r.id,
          walletLink: r.walletLink,
          txCode: r.txCode,
          expiresAt: r.expiresAt,
          qr,
        });
        console.log(`line ${row.line} (${row.cells.reference}): ${qr}${r.txCode ? " (with tx code)" : ""}`);
      }
      await summary.writeFile(toCsv(SUMMARY_COLUMNS, lines));
      await summary.sync();
      console.log(
        `${results.length - refused} offers made, ${refused} refused; links and codes in ${summaryPath}`,
      );
      return refused > 0 ? 1 : 0;
    } finally {
      await summary.close();
    }
  },
};
