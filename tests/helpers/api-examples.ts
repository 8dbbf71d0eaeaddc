// The request bodies quoted in docs/API.md, taken from the schemas corpus
// (testdata/schemas/requests.json, the "API.md … example, as written" cases) rather than copied,
// so the system tests send exactly the bodies the schema tests accept.
import { readFileSync } from "node:fs";

export type Body = Record<string, unknown>;
interface Corpus {
  holder: string;
  cases: { desc: string; input: Body }[];
}

const corpus = JSON.parse(readFileSync(new URL("../../testdata/schemas/requests.json", import.meta.url), "utf8")) as Corpus;

function asWritten(type: string, holder: string): Body {
  const c = corpus.cases.find((x) => x.desc === `API.md ${type} example, as written`);
  if (!c) throw new Error(`testdata/schemas/requests.json has no API.md ${type} example`);
  return JSON.parse(JSON.stringify(c.input).replaceAll(corpus.holder, holder)) as Body;
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
