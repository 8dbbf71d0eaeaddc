import { describe, expect, it } from "vitest";
import { parseCsv } from "../src/csv.js";

describe("parseCsv (RFC 4180)", () => {
  it("reads quoted fields, doubled quotes, CRLF and LF, a BOM, and drops blank lines", () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\n\n"two\nlines",z')).toEqual({
      rows: [
        ["a", "b"],
        ["x, y", 'say "hi"'],
        ["two\nlines", "z"],
      ],
      unterminated: false,
    });
  });

  it("says when the text ends inside a quoted field", () => {
    expect(parseCsv('a,"b\nc').unterminated).toBe(true);
    expect(parseCsv("").rows).toEqual([]);
  });
});
