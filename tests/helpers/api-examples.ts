// The request bodies quoted in docs/API.md, taken from the schemas corpus
// (testdata/schemas/requests.json, the "API.md … example, as written" and "… as an offer" cases)
// rather than copied,
// so the system tests send exactly the bodies the schema tests accept.
import { readFileSync } from "node:fs";

export type Body = Record<string, unknown>;
interface Corpus {
  holder: string;
  cases: { desc: string; input: Body }[];
}

const corpus = JSON.parse(
  readFileSync(new URL("../../testdata/schemas/requests.json", import.meta.url), "utf8"),
) as Corpus;

function example(desc: string): Body {
  const c = corpus.cases.find((x) => x.desc === desc);
  if (!c) throw new Error(`testdata/schemas/requests.json has no case "${desc}"`);
  return structuredClone(c.input);
}

function asWritten(type: string, holder: string): Body {
  return JSON.parse(
    JSON.stringify(example(`API.md ${type} example, as written`)).replaceAll(corpus.holder, holder),
  ) as Body;
}

/** The three API.md issuance bodies with `holder` as the subject (and MPU author); `microCredential(name)` renames the achievement. */
export function apiExamples(holder: string) {
  const micro = asWritten("MicroCredential", holder);
  return {
    microCredential: (name?: string): Body => {
      const body = structuredClone(micro);
      if (name !== undefined) (body.achievement as Body).name = name;
      return body;
    },
    attribution: asWritten("Attribution", holder),
    mpuAuthorship: asWritten("MPUAuthorship", holder),
  };
}

/** The three API.md bodies as offers (no subject: the wallet that claims the offer becomes it). */
export function apiOfferExamples(): { microCredential: Body; attribution: Body; mpuAuthorship: Body } {
  return {
    microCredential: example("API.md MicroCredential example as an offer (no subject)"),
    attribution: example("API.md Attribution example as an offer"),
    mpuAuthorship: example("API.md MPUAuthorship example as an offer"),
  };
}
