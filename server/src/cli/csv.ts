// CSV in and out for the cohort commands (`meritlog offer --csv`, `meritlog issue --csv`,
// `meritlog credentials list --csv`): RFC 4180 (quoted fields, doubled quotes, CRLF line ends).
import { CliError } from "./errors.js";

/** RFC 4180 rows (core's reader); a file that ends inside a quoted field is refused. */
async function readCsv(text: string): Promise<string[][]> {
  // Loaded here, not at start-up: @meritlog/core (jose and the rest) only for the commands reading a CSV.
  const { parseCsv } = await import("@meritlog/core");
  const { rows, unterminated } = parseCsv(text);
  if (unterminated) throw new CliError("cli.usage", "the CSV file ends inside a quoted field");
  return rows;
}

/** One data row of a CSV file: its 1-based line in the file (header = line 1) and its cells by column. */
export interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

/**
 * Reads a CSV file with a header line, checking the columns against those the command knows.
 * @throws CliError `cli.usage` for a missing required column, an unknown column, no rows or too many
 */
export async function readTable(
  text: string,
  o: { file: string; known: readonly string[]; required: readonly string[]; maxRows: number },
): Promise<CsvRow[]> {
  const table = await readCsv(text);
  const header = (table[0] ?? []).map((c) => c.trim());
  const missing = o.required.filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new CliError(
      "cli.usage",
      `${o.file}: the first line must name the columns, including ${missing.map((c) => `"${c}"`).join(", ")}`,
    );
  const unknown = header.filter((c) => c !== "" && !o.known.includes(c));
  if (unknown.length > 0)
    throw new CliError(
      "cli.usage",
      `${o.file}: unknown columns ${unknown.join(", ")} (known: ${o.known.join(", ")})`,
    );
  const rows = table.slice(1);
  if (rows.length === 0) throw new CliError("cli.usage", `${o.file}: no rows after the header line`);
  // One file is one request, so a batch is acknowledged whole or not at all (docs/API.md).
  if (rows.length > o.maxRows)
    throw new CliError(
      "cli.usage",
      `${o.file}: at most ${o.maxRows} rows per file (this one has ${rows.length}); split it`,
    );
  return rows.map((r, i) => ({
    line: i + 2,
    cells: Object.fromEntries(header.map((k, j) => [k, (r[j] ?? "").trim()])),
  }));
}

/** RFC 4180 CSV with a header line and CRLF line ends; a cell starting with =, +, -, @ gets a `'` (OWASP "CSV injection"). */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (v: unknown): string => {
    const s = v === undefined || v === null ? "" : String(v);
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))]
    .map((l) => `${l}\r\n`)
    .join("");
}
