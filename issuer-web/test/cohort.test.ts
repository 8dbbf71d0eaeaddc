import { describe, expect, it } from "vitest";
import qrcode from "qrcode-generator";
import { cohortRows, parseCsv } from "../src/cohort.js";
import { TEMPLATES } from "../src/templates.js";

const NOW = new Date("2026-11-30T12:00:00Z");

describe("cohort CSV", () => {
  it("parses RFC 4180: quotes, doubled quotes, commas and newlines in cells, CRLF and LF, a BOM, blank lines", () => {
    expect(
      parseCsv('\uFEFFreference,name\r\n"Amina, B.","The ""North"" pump"\n\nmulti,"two\nlines"\r\n'),
    ).toEqual([
      ["reference", "name"],
      ["Amina, B.", 'The "North" pump'],
      ["multi", "two\nlines"],
    ]);
  });

  it("makes one offer body per row from the template and shows each row's problem before anything is issued", () => {
    const csv = [
      "reference,name,validUntil,expiresInDays,txCode",
      "Amina B.,,,,",
      "Musa K.,Pump Maintenance Log Keeping,2028-01-01T00:00:00Z,7,yes",
      "Certified one,Certified Hand-Pump Technician,,,",
      "Late,,2020-01-01T00:00:00Z,,",
      ",,,,",
      "Long link,,,400,maybe",
    ].join("\n");
    const { rows, fileErrors } = cohortRows(TEMPLATES.MicroCredential!, csv, NOW);
    expect(fileErrors).toEqual([]);
    // The all-empty row is dropped as blank; the others keep their file line numbers.
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
    expect(rows[0]!.errors).toEqual([]);
    expect(rows[0]!.body).toEqual({ ...TEMPLATES.MicroCredential, reference: "Amina B." });
    expect(rows[1]!.errors).toEqual([]);
    expect(rows[1]!.body).toMatchObject({
      reference: "Musa K.",
      expiresIn: 7 * 86_400,
      txCode: true,
      validUntil: "2028-01-01T00:00:00Z",
      achievement: { name: "Pump Maintenance Log Keeping" },
    });
    expect(rows[2]!.errors.join()).toMatch(/^claims\.certification_implied/);
    expect(rows[3]!.errors.join()).toMatch(/^claims\.already_expired/);
    expect(rows[4]!.errors).toEqual([
      "expiresInDays must be a whole number of days from 1 to 365",
      "txCode must be yes or no",
    ]);
  });

  it("refuses a file without a reference column or with unknown columns", () => {
    expect(cohortRows(TEMPLATES.Attribution!, "name\nx\n", NOW).fileErrors[0]).toMatch(/reference/);
    expect(
      cohortRows(TEMPLATES.Attribution!, "reference,email\nx,y@example.org\n", NOW).fileErrors.join(),
    ).toMatch(/Unknown columns: email/);
  });

  it("the MPU template is a valid offer with the holder placeholder", () => {
    const { rows } = cohortRows(TEMPLATES.MPUAuthorship!, "reference\nAisha\n", NOW);
    expect(rows[0]!.errors).toEqual([]);
  });
});

describe("QR quiet zone", () => {
  it("qrcode-generator's margin is in pixels: cellSize 4 and margin 16 give a 4-module quiet zone", () => {
    const qr = qrcode(0, "M");
    qr.addData("https://example.org/wallet/#offer=x", "Byte");
    qr.make();
    const svg = qr.createSvgTag({ cellSize: 4, margin: 16, scalable: true });
    const n = qr.getModuleCount();
    expect(svg).toContain(`viewBox="0 0 ${(n + 8) * 4} ${(n + 8) * 4}"`);
  });
});
