import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { missingKeys } from "@meritlog/core";
import { NO_CONVERSION_NOTICES } from "@meritlog/schemas";
import { EN } from "../src/messages-en.js";
import { FR } from "../src/messages-fr.js";

describe("wallet message catalogue", () => {
  it("has every English key in French, none empty (the one English-only key excepted)", () => {
    expect(missingKeys(EN, FR)).toEqual([]);
    expect(Object.keys(FR).sort()).toEqual(Object.keys(EN).sort());
    // English shows the signed notice itself; only other languages add a translation.
    expect(
      Object.entries(EN)
        .filter(([, v]) => v.trim() === "")
        .map(([k]) => k),
    ).toEqual(["notice.v1_translation"]);
  });

  it("keeps the same placeholders in both languages", () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(EN) as (keyof typeof EN)[])
      if (k !== "notice.v1_translation") expect(holes(FR[k]), k).toEqual(holes(EN[k]));
  });

  it("never calls a credential a certification in French (DOMAIN.md naming rules)", () => {
    for (const [k, v] of Object.entries(FR)) {
      if (k === "notice.v1_translation" || k === "notice.summary") continue;
      expect(v, k).not.toMatch(/certifica/i);
    }
    // …and says it is not one.
    expect(FR["notice.summary"]).toMatch(/^Ce n'est pas une certification/);
  });

  it("translates every element of the signed no-conversion notice v1", () => {
    // The signed text lists what a credential does not create; the French text must list each.
    expect(NO_CONVERSION_NOTICES["1"]!.text).toContain("deployment authorization or execution authority");
    const fr = FR["notice.v1_translation"];
    for (const word of [
      "provenance",
      "certification",
      "accréditation",
      "licence",
      "diplôme",
      "emploi",
      "rémunération",
      "paiement",
      "marchés publics",
      "financé",
      "assurabilité",
      "investissement",
      "autorité publique",
      "sécurité",
      "environnementale",
      "autochtone",
      "autorisation de déploiement",
      "pouvoir d'exécution",
      "vendue",
      "échangée",
      "transférée",
      "rachetée",
      "portée",
      "preuves",
      "niveau d'examen",
      "statut enregistré est actif",
    ])
      expect(fr, word).toContain(word);
  });

  it("has a sentence for every wallet error code, shown before the English detail in French", () => {
    const source = readFileSync(new URL("../src/errors.ts", import.meta.url), "utf8");
    const union = source.slice(
      source.indexOf("WalletErrorCode ="),
      source.indexOf(";", source.indexOf("WalletErrorCode =")),
    );
    const codes = [...union.matchAll(/"([a-z_]+\.[a-z_]+)"/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(15);
    for (const c of codes) expect(Object.keys(EN), c).toContain(`err.${c}`);
  });
});
