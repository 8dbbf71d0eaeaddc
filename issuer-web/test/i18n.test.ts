import { describe, expect, it } from "vitest";
import { missingKeys } from "@meritlog/core";
import { EN } from "../src/messages-en.js";
import { FR } from "../src/messages-fr.js";

describe("issuer console message catalogue", () => {
  it("has every English key in French, none empty, same placeholders", () => {
    expect(missingKeys(EN, FR)).toEqual([]);
    expect(Object.keys(FR).sort()).toEqual(Object.keys(EN).sort());
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(EN) as (keyof typeof EN)[]) expect(holes(FR[k]), k).toEqual(holes(EN[k]));
  });

  it("never calls a credential a certification in French (DOMAIN.md naming rules)", () => {
    for (const [k, v] of Object.entries(FR)) expect(v, k).not.toMatch(/certifica/i);
  });
});
