// The endorsements check (issue 14; docs/API.md "Provenance"): the Open Badges 3.0
// EndorsementCredentials (OB 3.0 §B.1.8) the log holds for a credential, each with its own state:
// `valid` (signature by its issuer holds, it endorses this credential, active and within its
// validity), `invalid` (revoked, suspended, expired, forged or about something else) or `unknown`.
// An endorsement never changes the endorsed credential's verdict; a failed lookup is "unknown".
import type { VerifyContext } from "./context.js";
import { withTimeout } from "./context.js";
import { decodeJwt } from "./jose.js";
import { registryOf } from "./registry.js";
import type { Check } from "./report.js";
import { check } from "./report.js";
import { say } from "./report-messages.js";
import { verifyJwsSignature } from "./signature.js";

/** One endorsement as the report lists it. */
interface EndorsementEntry {
  id?: string;
  endorser: string;
  name?: string;
  state: "valid" | "invalid" | "unknown";
  /** The endorsement's recorded status (active, revoked, …) as the issuer's service says. */
  status: string;
  comment?: string;
  reason?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

async function assess(
  item: { jwt: string; state: string },
  credentialId: string,
  ctx: VerifyContext,
): Promise<EndorsementEntry> {
  let d;
  try {
    d = decodeJwt(item.jwt);
  } catch {
    return { endorser: "", state: "invalid", status: item.state, reason: "it cannot be read" };
  }
  const p = d.payload;
  const endorser = typeof p.iss === "string" ? p.iss : "";
  const subject = isObject(p.credentialSubject) ? p.credentialSubject : {};
  const entry: EndorsementEntry = {
    ...(typeof p.id === "string" ? { id: p.id } : {}),
    endorser,
    state: "unknown",
    status: item.state,
    ...(typeof subject.endorsementComment === "string"
      ? { comment: subject.endorsementComment.slice(0, 4000) }
      : {}),
  };
  const name = registryOf(ctx.trust).get(endorser)?.name;
  if (name !== undefined) entry.name = name;
  const types = Array.isArray(p.type) ? p.type : [];
  if (!types.includes("EndorsementCredential") || subject.id !== credentialId)
    return { ...entry, state: "invalid", reason: "it is not an endorsement of this credential" };
  const sig = await verifyJwsSignature(d, endorser, ctx, "endorsement");
  if (sig.check.ok === false) return { ...entry, state: "invalid", reason: "its signature does not hold" };
  if (sig.check.ok !== true) return { ...entry, reason: "its signature could not be checked" };
  if (typeof p.exp === "number" && p.exp * 1000 < ctx.now.getTime())
    return { ...entry, state: "invalid", reason: "it has expired" };
  if (item.state !== "active") return { ...entry, state: "invalid", reason: `it is ${item.state}` };
  return { ...entry, state: "valid" };
}

/** The endorsements check, or undefined when the fetcher offers none (nothing to list). */
export async function checkEndorsements(
  credentialId: string | undefined,
  ctx: VerifyContext,
): Promise<Check | undefined> {
  const get = ctx.fetcher?.endorsements;
  if (!get || credentialId === undefined) return undefined;
  let items: { jwt: string; state: string }[];
  try {
    items = await withTimeout(ctx, "endorsement lookup", () => get.call(ctx.fetcher, credentialId));
  } catch (e) {
    return check(
      "unknown",
      "endorsements.unavailable",
      `The endorsements recorded for this credential could not be read (${e instanceof Error ? e.message.slice(0, 120) : "error"}).`,
    );
  }
  if (!Array.isArray(items) || items.length === 0) return undefined;
  const endorsements = await Promise.all(items.slice(0, 50).map((i) => assess(i, credentialId, ctx)));
  const valid = endorsements.filter((e) => e.state === "valid").length;
  const who = endorsements
    .map(
      (e) =>
        `${e.name ?? e.endorser.slice(0, 60)} (${e.state === "valid" ? "valid" : (e.reason ?? e.state)})`,
    )
    .join("; ");
  return check(
    true,
    "endorsements.listed",
    endorsements.length === 1
      ? say(
          `${endorsements.length} endorsement recorded for this credential, ${valid} currently valid: ${who}. An endorsement is its endorser's word about this credential; it does not change what the credential means.`,
          "endorsements.listed.one",
          { count: endorsements.length, valid, who },
        )
      : say(
          `${endorsements.length} endorsements recorded for this credential, ${valid} currently valid: ${who}. An endorsement is its endorser's word about this credential; it does not change what the credential means.`,
          "endorsements.listed",
          { count: endorsements.length, valid, who },
        ),
    { endorsements, valid, of: endorsements.length },
  );
}
