// The cohort commands of the `meritlog` CLI (docs/API.md "CLI details"): `offer` (one, or a CSV
// cohort with QR code PNGs and a summary), `issue --csv` and `credentials list`, run as a user
// runs them (the built bin) against a real server.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, startServer, type RunningServer } from "./helpers/server.js";
import { backendEnv } from "./helpers/backend.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples, apiOfferExamples } from "./helpers/api-examples.js";

const bin = new URL("../server/bin/meritlog.js", import.meta.url).pathname;
let server: RunningServer;
let dir: string;
let token: string;

async function meritlog(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        MERITLOG_URL: server.url,
        MERITLOG_DATA: server.dataDir,
        MERITLOG_TOKEN: token,
        ...backendEnv(server.config.databaseUrl),
      },
      cwd: dir,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** RFC 4180 rows of a small CSV (no quoted line breaks in these tests). */
function csvRows(text: string): Record<string, string>[] {
  const split = (line: string): string[] => {
    const out: string[] = [];
    let cell = "";
    let q = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (q && ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') q = !q;
      else if (ch === "," && !q) {
        out.push(cell);
        cell = "";
      } else cell += ch;
    }
    out.push(cell);
    return out;
  };
  const lines = text.split("\r\n").filter((l) => l !== "");
  const header = split(lines[0]!);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((c, i) => [header[i]!, c])));
}

// CRC-32 (ISO 3309, as PNG uses it), written out here so the PNG is not checked by its own code.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer): number => {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/**
 * Reads a 1-bit greyscale PNG (PNG spec chunks, CRCs, filter 0 scanlines) into a module grid, and
 * checks the three QR finder patterns (ISO/IEC 18004 §6.3.3: 7×7 dark ring, light ring, 3×3 dark
 * core) at the corners inside the 4-module quiet zone.
 */
function readQrPng(png: Buffer): { modules: number } {
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  let at = 8;
  const chunks: { type: string; data: Buffer }[] = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString("latin1");
    const data = png.subarray(at + 8, at + 8 + len);
    expect(png.readUInt32BE(at + 8 + len), `CRC of ${type}`).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
    chunks.push({ type, data });
    at += 12 + len;
  }
  expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
  const ihdr = chunks[0]!.data;
  const size = ihdr.readUInt32BE(0);
  expect(ihdr.readUInt32BE(4)).toBe(size);
  expect([...ihdr.subarray(8)]).toEqual([1, 0, 0, 0, 0]);
  const raw = inflateSync(chunks[1]!.data);
  const rowBytes = Math.ceil(size / 8);
  expect(raw.length).toBe((rowBytes + 1) * size);
  const scale = 8;
  expect(size % scale).toBe(0);
  const modules = size / scale - 8;
  expect((modules - 17) % 4).toBe(0); // ISO/IEC 18004 §5.3.1: 17 + 4 × version
  const dark = (mx: number, my: number): boolean => {
    const x = (mx + 4) * scale + scale / 2;
    const y = (my + 4) * scale + scale / 2;
    const off = y * (rowBytes + 1);
    expect(raw[off]).toBe(0); // filter type None
    return (raw[off + 1 + (x >> 3)]! & (0x80 >> (x & 7))) === 0;
  };
  for (const [ox, oy] of [
    [0, 0],
    [modules - 7, 0],
    [0, modules - 7],
  ] as const) {
    for (let i = 0; i < 7; i++) {
      expect(dark(ox + i, oy) && dark(ox + i, oy + 6) && dark(ox, oy + i) && dark(ox + 6, oy + i)).toBe(true);
    }
    for (let i = 1; i < 6; i++) expect(dark(ox + i, oy + 1) || dark(ox + 1, oy + i)).toBe(false);
    for (let i = 2; i < 5; i++) for (let j = 2; j < 5; j++) expect(dark(ox + i, oy + j)).toBe(true);
  }
  // The quiet zone is light all round.
  expect(dark(-1, -1) || dark(modules, modules) || dark(-4, 10)).toBe(false);
  return { modules };
}

const offersListed = async (): Promise<{ reference: string; state: string; txCode: boolean }[]> =>
  (
    (await (
      await fetch(`${server.url}/v1/offers?limit=1000`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { items: { reference: string; state: string; txCode: boolean }[] }
  ).items;

beforeAll(async () => {
  server = await startServer();
  dir = await mkdtemp(join(tmpdir(), "meritlog-cli-cohort-"));
  const res = await fetch(`${server.url}/v1/issuers`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Cohort Academy" }),
  });
  token = ((await res.json()) as { token: string }).token;
  const { type: _t, ...offerClaims } = apiOfferExamples().microCredential;
  await writeFile(join(dir, "offer-claims.json"), JSON.stringify(offerClaims));
  const { type: _u, subject: _s, ...claims } = apiExamples(newHolder().did).microCredential();
  await writeFile(join(dir, "claims.json"), JSON.stringify(claims));
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("meritlog offer", () => {
  it("makes one offer, prints its link and tx code (never the pre-authorized code) and writes its QR PNG", async () => {
    const r = await meritlog([
      "offer",
      ...["--type", "MicroCredential", "--file", "offer-claims.json"],
      ...["--tx-code", "--reference", "single learner", "--qr", "single.png", "--expires-in", "86400"],
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, string>;
    expect(out.walletLink).toMatch(/\/wallet\/#offer=openid-credential-offer/);
    expect(out.txCode).toMatch(/^\d{6}$/);
    expect(Date.parse(out.expiresAt!) - Date.now()).toBeLessThanOrEqual(86_400_000);
    expect(Object.keys(out)).not.toContain("preAuthorizedCode");
    expect(Object.keys(out)).not.toContain("offerId");
    const { modules } = readQrPng(await readFile(join(dir, "single.png")));
    expect(modules).toBeGreaterThan(40); // a link of this length needs version 6 or more
    expect(await offersListed()).toContainEqual(
      expect.objectContaining({ reference: "single learner", state: "pending", txCode: true }),
    );
  });

  it("makes a cohort from CSV: a QR PNG per row named from the row, offers.csv with links and codes, per-row problems, exit 1", async () => {
    await writeFile(
      join(dir, "cohort.csv"),
      [
        "reference,name,txCode,activityStartDate,activityEndDate,validUntil,file",
        "Amina B.,,yes,2026-03-01T08:00:00Z,2026-03-05T17:00:00Z,,amina",
        '"Musa, K.",Pump Guide Review,no,,,,',
        "Expired row,,,,,2020-01-01T00:00:00Z,",
        "Bad dates,,,2026-03-05T00:00:00Z,2026-03-01T00:00:00Z,,",
        "Amina B. (2),,,,,,amina",
      ].join("\n"),
    );
    const r = await meritlog([
      "offer",
      ...["--csv", "cohort.csv", "--type", "MicroCredential", "--file", "offer-claims.json", "--out", "qr"],
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/line 4 \(Expired row\): claims\.already_expired/);
    expect(r.stderr).toMatch(/line 5 \(Bad dates\): schema\.invalid/);
    // Links and codes are shown once: they go to the summary, not the terminal.
    expect(r.stdout).not.toMatch(/wallet\/#offer|\b\d{6}\b/);
    const files = (await readdir(join(dir, "qr"))).sort();
    expect(files).toEqual(["Musa-K.png", "amina-line6.png", "amina.png", "offers.csv"]);
    expect((await stat(join(dir, "qr", "offers.csv"))).mode & 0o077).toBe(0);
    const rows = csvRows(await readFile(join(dir, "qr", "offers.csv"), "utf8"));
    expect(rows.map((x) => [x.line, x.reference, x.qr, x.error])).toEqual([
      ["2", "Amina B.", "amina.png", ""],
      ["3", "Musa, K.", "Musa-K.png", ""],
      ["4", "Expired row", "", "claims.already_expired"],
      ["5", "Bad dates", "", "schema.invalid"],
      ["6", "Amina B. (2)", "amina-line6.png", ""],
    ]);
    expect(rows[0]!.txCode).toMatch(/^\d{6}$/);
    expect(rows[1]!.txCode).toBe("");
    for (const x of [rows[0]!, rows[1]!, rows[4]!]) {
      expect(x.walletLink).toMatch(/\/wallet\/#offer=/);
      readQrPng(await readFile(join(dir, "qr", x.qr!)));
    }
    const listed = await offersListed();
    for (const ref of ["Amina B.", "Musa, K.", "Amina B. (2)"])
      expect(listed.filter((o) => o.reference === ref)).toHaveLength(1);
    expect(listed.some((o) => o.reference === "Expired row" || o.reference === "Bad dates")).toBe(false);

    // The summary holds links shown only once: a second run into the same folder makes nothing.
    const again = await meritlog([
      "offer",
      ...["--csv", "cohort.csv", "--type", "MicroCredential", "--file", "offer-claims.json", "--out", "qr"],
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/offers\.csv exists/);
    expect((await offersListed()).length).toBe(listed.length);
  }, 120_000);

  it("refuses a file without a reference column, an unknown column or a bad txCode before anything is sent", async () => {
    const before = (await offersListed()).length;
    for (const [csv, message] of [
      ["name\nx\n", /including "reference"/],
      ["reference,email\nx,a@b.c\n", /unknown columns email/],
      ["reference,txCode\nx,maybe\n", /txCode must be yes or no/],
    ] as const) {
      await writeFile(join(dir, "bad.csv"), csv);
      const r = await meritlog([
        "offer",
        ...["--csv", "bad.csv", "--type", "MicroCredential", "--file", "offer-claims.json", "--out", "bad"],
      ]);
      expect(r.code, csv).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect((await offersListed()).length).toBe(before);
  }, 120_000);
});

describe("meritlog issue --csv and credentials list", () => {
  it("issues one credential per valid row, one result row per input row, and the listing shows exactly those (JSON, CSV, table)", async () => {
    const a = newHolder();
    const b = newHolder();
    await writeFile(
      join(dir, "learners.csv"),
      [
        "subject,name,activityStartDate,activityEndDate,validUntil",
        `${a.did},Pump Guide Writing,2026-03-01T08:00:00Z,2026-03-05T17:00:00Z,`,
        "did:key:not-a-key,,,,",
        `${b.did},,,,2020-01-01T00:00:00Z`,
        `${b.did},Pump Guide Review,,,2030-01-01T00:00:00Z`,
      ].join("\r\n"),
    );
    const r = await meritlog([
      "issue",
      ...[
        "--csv",
        "learners.csv",
        "--type",
        "MicroCredential",
        "--file",
        "claims.json",
        "--out",
        "results.csv",
      ],
    ]);
    expect(r.code, r.stderr).toBe(1);
    const rows = csvRows(await readFile(join(dir, "results.csv"), "utf8"));
    expect(rows.map((x) => [x.line, x.subject, x.error])).toEqual([
      ["2", a.did, ""],
      ["3", "did:key:not-a-key", "schema.invalid"],
      ["4", b.did, "claims.already_expired"],
      ["5", b.did, ""],
    ]);
    const issued = [rows[0]!, rows[3]!];
    for (const x of issued) {
      expect(x.id).toMatch(/^urn:uuid:/);
      expect(x.state).toBe("active");
      expect(Number(x.leafIndex)).toBeGreaterThanOrEqual(0);
      const payload = JSON.parse(Buffer.from(x.jwt!.split(".")[1]!, "base64url").toString()) as {
        credentialSubject: Record<string, unknown>;
      };
      expect(payload.credentialSubject.id).toBe(x.subject);
    }
    const first = JSON.parse(Buffer.from(issued[0]!.jwt!.split(".")[1]!, "base64url").toString()) as {
      credentialSubject: Record<string, unknown>;
      name: string;
    };
    expect(first.credentialSubject).toMatchObject({
      activityStartDate: "2026-03-01T08:00:00Z",
      activityEndDate: "2026-03-05T17:00:00Z",
    });
    expect(first.name).toBe("Pump Guide Writing");

    // The listing: exactly what was issued, newest first; filters as the HTTP listing has them.
    const json = await meritlog(["credentials", "list", "--json", "--all"]);
    expect(json.code, json.stderr).toBe(0);
    const all = JSON.parse(json.stdout) as {
      items: { id: string; subject: string; name: string }[];
      next: null;
    };
    expect(all.items.map((i) => i.id).sort()).toEqual(issued.map((x) => x.id).sort());
    expect(all.next).toBeNull();
    const bySubject = JSON.parse(
      (await meritlog(["credentials", "list", "--json", "--subject", b.did])).stdout,
    );
    expect(bySubject.items.map((i: { id: string }) => i.id)).toEqual([issued[1]!.id]);
    const paged = await meritlog(["credentials", "list", "--limit", "1"]);
    expect(paged.stdout).toMatch(/1 shown; next page: --cursor urn:uuid:/);

    // CSV round-trip: the CLI's CSV rows are the listing's items.
    const csv = await meritlog(["credentials", "list", "--csv", "--all"]);
    expect(csv.code).toBe(0);
    const back = csvRows(csv.stdout);
    expect(Object.keys(back[0]!)).toEqual([
      "id",
      "type",
      "name",
      "subject",
      "state",
      "issuedAt",
      "validUntil",
      "offerId",
    ]);
    expect(back.map((x) => [x.id, x.subject, x.name])).toEqual(
      all.items.map((i) => [i.id, i.subject, i.name]),
    );

    const table = await meritlog(["credentials", "list", "--state", "active"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^id\s+type\s+state\s+issuedAt\s+subject\s+name$/);
    expect(table.stdout).toContain(issued[0]!.id);
    expect(table.stdout).toMatch(/2 credentials/);
    expect((await meritlog(["credentials", "list", "--json", "--csv"])).code).toBe(2);
    expect((await meritlog(["credentials", "list", "--state", "lost"])).code).toBe(2);

    // Never overwrites a results file.
    const again = await meritlog([
      "issue",
      ...[
        "--csv",
        "learners.csv",
        "--type",
        "MicroCredential",
        "--file",
        "claims.json",
        "--out",
        "results.csv",
      ],
    ]);
    expect(again.code).toBe(2);
    expect(JSON.parse((await meritlog(["credentials", "list", "--json"])).stdout).items).toHaveLength(2);
  }, 180_000);
});
