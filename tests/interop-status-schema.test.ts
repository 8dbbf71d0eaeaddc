// Credentials other tools accept (issue 13): every credential type the service issues validates
// against 1EdTech's Open Badges 3.0 AchievementCredential JSON Schema (the published file, kept
// verbatim under testdata/interop/), and its one `credentialStatus` object is read by an
// independent Bitstring Status List implementation (@digitalbazaar/vc-bitstring-status-list).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ajv2019 } from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { checkStatus, decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples, type Body } from "./helpers/api-examples.js";

type Json = Record<string, unknown>;
const schemaText = readFileSync(
  new URL("../testdata/interop/ob_v3p0_achievementcredential_schema.json", import.meta.url),
  "utf8",
);
const OB3_SCHEMA = JSON.parse(schemaText) as Json;

/** The JWT payload, decoded by hand (no project code). */
function payloadOf(jwt: string): Json {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Json;
}

/** OB 3.0 §8.2.4.1: the VC-JWT payload is the credential plus the JWT claims. */
function credentialOf(jwt: string): Json {
  const { iss: _iss, sub: _sub, jti: _jti, nbf: _nbf, exp: _exp, iat: _iat, ...credential } = payloadOf(jwt);
  return credential;
}

/** VC Data Model 1.1 §6.3.1 "JWT decoding": `vc` plus `iss`→issuer, `jti`→id, `nbf`→issuanceDate, `exp`→expirationDate, `sub`→credentialSubject.id. */
function credentialOf11(jwt: string): Json {
  const p = payloadOf(jwt);
  const vc = structuredClone(p.vc) as Json;
  vc.id = p.jti;
  // §6.3.1: `iss` is the issuer's id; a Profile object kept in `vc` keeps its other members.
  vc.issuer =
    typeof vc.issuer === "object" && vc.issuer !== null ? { ...(vc.issuer as Json), id: p.iss } : p.iss;
  vc.issuanceDate = new Date((p.nbf as number) * 1000).toISOString();
  if (typeof p.exp === "number") vc.expirationDate = new Date(p.exp * 1000).toISOString();
  (vc.credentialSubject as Json).id = p.sub;
  return vc;
}

function validator(schema: Json) {
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

/**
 * The stored revision of the schema still requires VC Data Model 1.1's `issuanceDate`; the
 * revision 1EdTech published for VC Data Model 2.0 (OB 3.0 Final) requires `validFrom` in its place
 * and lists `validFrom`/`validUntil` as date-times. That one substitution, and nothing else, is
 * applied for the 2.0 form; the 1.1 form is checked against the file as published.
 */
function vc20Revision(schema: Json): Json {
  const s = structuredClone(schema);
  s.required = (s.required as string[]).map((r) => (r === "issuanceDate" ? "validFrom" : r));
  const props = s.properties as Json;
  props.validFrom = { ...(props.issuanceDate as Json) };
  props.validUntil = { ...(props.expirationDate as Json) };
  return s;
}

let server: RunningServer;
let token = "";
const holder = newHolder();
const bodies = apiExamples(holder.did);
/** A MicroCredential with an OB 3.0 Image: a data: PNG with a caption, or an https URL whose digest goes in relatedResource. */
const withImage = (image: Body): Body => {
  const b = bodies.microCredential();
  (b.achievement as Body).image = image;
  return b;
};
const PNG_1X1 =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const TYPES: [string, Body][] = [
  ["MicroCredential", bodies.microCredential()],
  ["MicroCredential with a data: image", withImage({ id: PNG_1X1, type: "Image", caption: "A pump" })],
  [
    "MicroCredential with an https image",
    withImage({
      id: "https://badges.example.org/pump.png",
      digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    }),
  ],
  ["Attribution", bodies.attribution],
  ["MPUAuthorship", bodies.mpuAuthorship],
];

beforeAll(async () => {
  server = await startServer();
  token = (
    (
      await call(server.url, "POST", "/v1/issuers", {
        token: ADMIN_TOKEN,
        body: { name: "Open Repair Academy" },
      })
    ).body as { token: string }
  ).token;
});
afterAll(async () => {
  await server?.close();
});

async function issue(
  body: Body,
  query = "",
): Promise<{ id: string; jwt: string; vc11?: { jwt: string }; status: { statusListIndex: string } }> {
  const r = await call(server.url, "POST", `/v1/credentials${query}`, { token, body });
  expect(r.status, r.text).toBe(201);
  return r.body as never;
}

describe("1EdTech Open Badges 3.0 AchievementCredential JSON Schema", () => {
  it("is the published file ($id of the purl address), kept verbatim", () => {
    expect(OB3_SCHEMA.$id).toBe(
      "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    );
    expect(schemaText.length).toBe(66_167);
    // The schema allows one status object, not an array (the defect issue 13 fixes).
    expect(
      validator(OB3_SCHEMA)({
        ...credentialOf11Example(),
        credentialStatus: [{ id: "https://x.test/s#1", type: "BitstringStatusListEntry" }],
      }),
    ).toBe(false);
  });

  for (const [type, body] of TYPES) {
    it(`validates a ${type} in the VC Data Model 2.0 and 1.1 JWT forms`, async () => {
      const r = await issue(body, "?format=vc1.1");
      const v20 = validator(vc20Revision(OB3_SCHEMA));
      const cred = credentialOf(r.jwt);
      expect(Array.isArray(cred.credentialStatus)).toBe(false);
      expect(v20(cred), JSON.stringify(v20.errors)).toBe(true);
      // The same credential against the file exactly as published: only the 1.1 field it requires is missing.
      const asPublished = validator(OB3_SCHEMA);
      expect(asPublished(cred)).toBe(false);
      expect(
        asPublished.errors!.map(
          (e) => `${e.instancePath}:${e.keyword}:${String(e.params.missingProperty ?? "")}`,
        ),
      ).toEqual([":required:issuanceDate"]);
      // The 1.1 form, read per VC Data Model 1.1 §6.3.1, passes the file as published.
      expect(r.vc11).toBeDefined();
      const c11 = credentialOf11(r.vc11!.jwt);
      expect(asPublished(c11), JSON.stringify(asPublished.errors)).toBe(true);
    });
  }
});

/** A minimal credential the published schema accepts, to show that only the array form of credentialStatus fails. */
function credentialOf11Example(): Json {
  return {
    "@context": [
      "https://www.w3.org/2018/credentials/v1",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    id: "urn:uuid:5c3f8b8e-8a4a-4f4e-9d2b-2c6c0a1e9f10",
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: "Example",
    issuer: { id: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", type: ["Profile"] },
    issuanceDate: "2026-01-01T00:00:00Z",
    credentialSubject: {
      type: ["AchievementSubject"],
      achievement: {
        id: "urn:uuid:1",
        type: ["Achievement"],
        name: "A",
        description: "B",
        criteria: { narrative: "C" },
      },
    },
  };
}

describe("one credentialStatus object, read by an independent Bitstring Status List implementation", () => {
  /** A document loader for @digitalbazaar's checkStatus: the list credential served by the service (a VC-JWT), decoded. */
  const loader = async (url: string) => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    return { contextUrl: null, documentUrl: url, document: credentialOf(await res.text()) };
  };
  /** The status value of an entry: @digitalbazaar's decoder, then `statusSize` bits from `index × statusSize` (Bitstring Status List v1.0 §3.2 step 9). */
  async function valueOf(entry: Json): Promise<{ value: number; message: string }> {
    const list = (await loader(entry.statusListCredential as string)).document.credentialSubject as Json;
    const bits = await decodeList({ encodedList: list.encodedList as string });
    const size = (entry.statusSize as number | undefined) ?? 1;
    const index = Number(entry.statusListIndex);
    let value = 0;
    for (let k = 0; k < size; k++) value = (value << 1) | (bits.getStatus(index * size + k) ? 1 : 0);
    const messages = (entry.statusMessage as { status: string; message: string }[] | undefined) ?? [];
    return { value, message: messages.find((m) => parseInt(m.status, 16) === value)?.message ?? "" };
  }
  /** A status change; the service re-signs a changed list at most every 250 ms, so wait that out before reading it. */
  const act = async (id: string, action: string, reason: string) => {
    expect(
      (
        await call(server.url, "POST", `/v1/credentials/${encodeURIComponent(id)}/status`, {
          token,
          body: { action, reason },
        })
      ).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
  };

  it("carries revocation and suspension in one two-bit message entry, through suspend, reinstate and revoke", async () => {
    const r = await issue(bodies.microCredential());
    const cred = credentialOf(r.jwt);
    const entry = cred.credentialStatus as Json;
    expect(entry).toMatchObject({
      type: "BitstringStatusListEntry",
      statusPurpose: "message",
      statusSize: 2,
      statusListIndex: r.status.statusListIndex,
    });
    // The library's own checks: entry shape, purpose of the list = purpose of the entry, same issuer, list type.
    const generic = (await checkStatus({
      credential: cred,
      documentLoader: loader,
      verifyBitstringStatusListCredential: false,
    })) as { verified: boolean; error?: Error };
    expect(generic.error).toBeUndefined();
    expect(generic.verified).toBe(true);
    expect(await valueOf(entry)).toEqual({ value: 0, message: "active" });
    await act(r.id, "suspend", "under-review");
    expect(await valueOf(entry)).toEqual({ value: 1, message: "suspended" });
    await act(r.id, "reinstate", "under-review");
    expect(await valueOf(entry)).toEqual({ value: 0, message: "active" });
    await act(r.id, "revoke", "overclaimed");
    expect(await valueOf(entry)).toMatchObject({ message: "revoked" });
    expect((await valueOf(entry)).value & 2).toBe(2);
  });

  it("keeps the one-bit revocation and suspension lists of credentials issued before the change current", async () => {
    const r = await issue(bodies.microCredential());
    const index = r.status.statusListIndex;
    const entry = (cred: Json) => cred.credentialStatus as Json;
    const base = `${entry(credentialOf(r.jwt)).statusListCredential as string}`.replace(/-message$/, "");
    // The two entries an earlier credential at this index carries (docs/API.md "credentialStatus").
    const legacy = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      issuer: (credentialOf(r.jwt).issuer as Json).id,
      credentialStatus: (["revocation", "suspension"] as const).map((p) => ({
        id: `${base}-${p}#${index}`,
        type: "BitstringStatusListEntry",
        statusPurpose: p,
        statusListIndex: index,
        statusListCredential: `${base}-${p}`,
      })),
    };
    const bitsOf = async () => {
      const res = (await checkStatus({
        credential: legacy,
        documentLoader: loader,
        verifyBitstringStatusListCredential: false,
      })) as { verified: boolean; results: { status: boolean }[]; error?: Error };
      expect(res.error).toBeUndefined();
      expect(res.verified).toBe(true);
      return res.results.map((x) => x.status);
    };
    expect(await bitsOf()).toEqual([false, false]);
    await act(r.id, "suspend", "under-review");
    expect(await bitsOf()).toEqual([false, true]);
    await act(r.id, "revoke", "overclaimed");
    expect((await bitsOf())[0]).toBe(true);
  });
});
