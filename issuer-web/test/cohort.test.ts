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

  it("reads the dates of the learning per row (the CLI's columns) and names each row's date problems", () => {
    const csv = [
      "reference,activityStartDate,activityEndDate",
      "Amina B.,2026-03-01T00:00:00Z,2026-04-15T00:00:00Z",
      "Musa K.,2026-03-01,",
      "Hauwa S.,2026-05-01T00:00:00Z,2026-04-01T00:00:00Z",
      "Ibrahim D.,,2026-04-01T00:00:00+01:00",
      "Zainab A.,soon,later",
    ].join("\n");
    const { rows, fileErrors } = cohortRows(TEMPLATES.MicroCredential!, csv, NOW);
    expect(fileErrors).toEqual([]);
    expect(rows[0]!.errors).toEqual([]);
    expect(rows[0]!.body.subject).toEqual({
      activityStartDate: "2026-03-01T00:00:00Z",
      activityEndDate: "2026-04-15T00:00:00Z",
    });
    expect(rows[0]).toMatchObject({
      activityStartDate: "2026-03-01T00:00:00Z",
      activityEndDate: "2026-04-15T00:00:00Z",
    });
    // A date without a time and zone is not an Open Badges dateTime: the row says which column.
    expect(rows[1]!.errors).toHaveLength(1);
    expect(rows[1]!.errors[0]).toMatch(/^schema\.invalid: subject\.activityStartDate: /);
    expect(rows[2]!.errors).toEqual([
      "schema.invalid: subject.activityEndDate: activityEndDate must not be before activityStartDate",
    ]);
    expect(rows[3]!.errors).toEqual([]);
    expect(rows[3]!.body.subject).toEqual({ activityEndDate: "2026-04-01T00:00:00+01:00" });
    // Both dates wrong: both are named, not only the first.
    expect([...new Set(rows[4]!.errors.map((e) => e.split(": ")[1]))]).toEqual([
      "subject.activityStartDate",
      "subject.activityEndDate",
    ]);
    // The server takes the preview's body as it is.
    expect(rows.filter((r) => r.errors.length === 0).map((r) => r.reference)).toEqual([
      "Amina B.",
      "Ibrahim D.",
    ]);
  });

  it("reads a badge image per row and refuses an unverifiable one, as the server would", () => {
    const png =
      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    const digest = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    const csv = [
      "reference,image,imageDigest",
      `Amina B.,https://badges.example.org/pump.png,${digest}`,
      // A data: URI has a comma: quoted as RFC 4180 wants.
      `Musa K.,"${png}",`,
      "Hauwa S.,https://badges.example.org/pump.png,",
    ].join("\n");
    const { rows } = cohortRows(TEMPLATES.MicroCredential!, csv, NOW);
    expect(rows[0]!.errors).toEqual([]);
    expect((rows[0]!.body.achievement as { image: unknown }).image).toEqual({
      id: "https://badges.example.org/pump.png",
      digestSRI: digest,
    });
    expect((rows[1]!.body.achievement as { image: unknown }).image).toEqual({ id: png });
    expect(rows[1]!.errors).toEqual([]);
    expect(rows[2]!.errors.join()).toMatch(/^schema\.image_refused: achievement\.image\.digestSRI: /);
    // Another type has no achievement to carry an image: refused, not dropped.
    const other = cohortRows(TEMPLATES.Attribution!, `reference,image\nAisha,"${png}"\n`, NOW);
    expect(other.rows[0]!.errors.join()).toMatch(/^schema\.invalid: achievement/);
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
