import { str, usageError, type GroupCommand, type LeafCommand } from "../command.js";
import { api, issuerToken, print } from "../context.js";
import { toCsv } from "../csv.js";

const LIST_USAGE = `usage: meritlog credentials list [--type TYPE] [--state STATE] [--subject DID] [--offer ID]
                             [--since TIME] [--until TIME] [--limit N] [--cursor ID] [--all]
                             [--json | --csv] [--token TOKEN]

What the issuer has issued (GET /v1/credentials, issuer token from --token or MERITLOG_TOKEN),
newest first, with the listing's filters: --type (MicroCredential, Attribution, MPUAuthorship),
--state (active, suspended, revoked, superseded, archived), --subject (a DID), --offer (an offer
id), --since (issued at or after) and --until (issued before), ISO 8601. --limit (1 to 1000,
default 100) per page; --cursor continues after a page; --all follows every page.
Output: a table (default; the next page's cursor last), --json ({items, next}) or --csv (the
columns of the listing's CSV: id, type, name, subject, state, issuedAt, validUntil, offerId).`;

const COLUMNS = ["id", "type", "name", "subject", "state", "issuedAt", "validUntil", "offerId"] as const;
type Item = Record<(typeof COLUMNS)[number], string | null | undefined>;
const FILTERS = ["type", "state", "subject", "offer", "since", "until", "limit"] as const;

const list: LeafCommand = {
  name: "list",
  summary: "list what the issuer has issued, with filters (issuer token)",
  usage: LIST_USAGE,
  options: {
    ...Object.fromEntries(FILTERS.map((f) => [f, { type: "string" as const }])),
    cursor: { type: "string" },
    all: { type: "boolean" },
    json: { type: "boolean" },
    csv: { type: "boolean" },
    token: { type: "string" },
  },
  async run(p) {
    if (p.values.json && p.values.csv) throw usageError("--json or --csv, not both", LIST_USAGE);
    const query = new URLSearchParams();
    for (const f of FILTERS) {
      const v = str(p, f);
      if (v !== undefined) query.set(f, v);
    }
    const token = issuerToken(str(p, "token"));
    let cursor = str(p, "cursor");
    const items: Item[] = [];
    let next: string | null;
    do {
      if (cursor !== undefined) query.set("cursor", cursor);
      const page = (await api("GET", `/v1/credentials?${query.toString()}`, token)) as {
        items: Item[];
        next: string | null;
      };
      items.push(...page.items);
      next = page.next;
      cursor = next ?? undefined;
    } while (p.values.all && next !== null);
    if (p.values.json) print({ items, next });
    else if (p.values.csv) process.stdout.write(toCsv(COLUMNS, items));
    else {
      const shown = ["id", "type", "state", "issuedAt", "subject", "name"] as const;
      const width = shown.map((c) => Math.max(c.length, ...items.map((i) => String(i[c] ?? "").length)));
      const line = (cells: string[]) =>
        cells
          .map((c, j) => c.padEnd(width[j]!))
          .join("  ")
          .trimEnd();
      console.log(line([...shown]));
      for (const it of items) console.log(line(shown.map((c) => String(it[c] ?? ""))));
      console.log(
        next === null ? `${items.length} credentials` : `${items.length} shown; next page: --cursor ${next}`,
      );
    }
    return 0;
  },
};

/** `meritlog credentials list`. */
export const credentials: GroupCommand = {
  name: "credentials",
  summary: "what the issuer has issued",
  subcommands: [list],
};
