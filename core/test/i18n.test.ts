import { describe, expect, it } from "vitest";
import { format, missingKeys, pickLanguage } from "../src/index.js";

describe("i18n primitives", () => {
  it("picks the first supported language by primary subtag, English otherwise", () => {
    expect(pickLanguage(["fr-CA", "en"])).toBe("fr");
    expect(pickLanguage(["de-DE", "fr"])).toBe("fr");
    expect(pickLanguage(["de", "es"])).toBe("en");
    expect(pickLanguage([null, undefined, "FR_be"])).toBe("fr");
    expect(pickLanguage([])).toBe("en");
  });

  it("fills named placeholders and leaves unknown ones visible", () => {
    expect(format("{n} of {total} checked", { n: 2, total: 5 })).toBe("2 of 5 checked");
    expect(format("Hello {who}")).toBe("Hello {who}");
    expect(format("{toString}", {})).toBe("{toString}");
  });

  it("lists keys missing or empty in another catalogue", () => {
    expect(missingKeys({ a: "A", b: "B", c: "C" }, { a: "x", b: " " })).toEqual(["b", "c"]);
  });
});
