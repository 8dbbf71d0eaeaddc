/**
 * Co-authored MPUs (issue 14; docs/API.md "Provenance"): the issuer registers an MPU with every
 * author's DID; each author signs the statement (title, category, digest, licence, every author
 * and role) with their did:key; each signature is anchored as a `cosign` entry; when the last
 * author has signed, every author gets an OpenID4VCI offer (offers.ts, the issuer's one offer
 * machinery) of their MPUAuthorship credential, naming every co-signature and its log entry, so
 * the verifier's `coAuthorship` check holds offline; each offer is bound to that author's DID. An
 * author can decline; the MPU then stays unissued with the reason recorded.
 */
import { randomBytes } from "node:crypto";
import {
  CREDENTIAL_HEADER_RULES,
  checkJwsHeader,
  decodeDidKey,
  decodeJws,
  isCoreError,
  verifyJwsSignature,
  type DecodedJws,
} from "@meritlog/core";
import {
  canonicalJson,
  mpuCredentialPart,
  mpuStatement,
  mpuStatementText,
  parseInput,
  parseIssueRequest,
  type MpuCoSignature,
  type MpuStatement,
} from "@meritlog/schemas";
import { z } from "zod";
import { anchorEntry, isoSeconds, sha256Hex, type Receipt } from "./anchors.js";
import type { ServiceContext } from "./context.js";
import { IssuerError } from "./errors.js";
import { uuidv7 } from "./ids.js";
import { issueResult, type IssueResult } from "./issuance.js";
import type { MpuRecord, MpuState, MpuStore } from "./mpu-store.js";
import { offerResponse } from "./offer-requests.js";
import { offerSecrets, type OfferStore, type OfferView } from "./offers.js";
import type { SecretBox } from "./secret-box.js";

/** What the MPU routes need besides the shared service context. */
export interface MpuContext extends ServiceContext {
  mpus: MpuStore;
  /** Public URL of this service, without trailing slash: sign links point at its wallet. */
  baseUrl: string;
  /** Where the authors' credential offers are made (the server's offer store). */
  offers: OfferStore;
  /** Seals each offer's link secret at rest; it is shown only to its author (link key). */
  box: SecretBox;
}

/**
 * `POST /v1/mpus` body: the MPU (every author's DID, no `coSignatures`), optional scope and
 * validity; the rest is checked as the MPUAuthorship issuance it becomes.
 */
export const mpuRegisterBodySchema = z.looseObject({ mpu: z.looseObject({}) });
const registerBodySchema = mpuRegisterBodySchema;

/** `POST /v1/mpus/{id}/signatures` and `/declines` body: the author's compact JWS. */
export const decisionBodySchema = z.strictObject({ jws: z.string().min(1).max(8192) });

/** A refusal's JWS payload: which statement is refused, and why (stays in the issuer's store). */
export const MPU_DECLINE_TYPE = "MPUCoAuthorshipDecline";
const declinePayloadSchema = z.strictObject({
  type: z.literal(MPU_DECLINE_TYPE),
  statement: z.string().regex(/^[0-9a-f]{64}$/),
  reason: z.string().min(1).max(500),
});

/** `201` body of `POST /v1/mpus`. */
export interface RegisteredMpu {
  id: string;
  statement: MpuStatement;
  /** Hex SHA-256 of the statement's RFC 8785 text: what each author's JWS signs (its payload is the statement). */
  statementDigest: string;
  signLinks: { author: string; walletLink: string }[];
}

/** What `GET /v1/mpus/{id}` and the signature routes return. */
export interface MpuView {
  id: string;
  state: MpuState;
  statement: MpuStatement;
  statementDigest: string;
  signed: number;
  of: number;
  /** Authors who have not signed yet. */
  missing: string[];
  signatures: { author: string; at: string; leafIndex: number }[];
  declined?: { author: string; at: string; reason: string; leafIndex: number };
  /**
   * With an author's link key (or the signer's own request), once every author signed and while
   * it is not redeemed: that author's OpenID4VCI offer (docs/API.md "Offers"), bound to their DID.
   */
  offer?: MpuOfferLink;
  /** With an author's link key, that author's credential once their offer was redeemed. */
  credential?: IssueResult;
  /** With the issuer's token: every author's offer id once offered. */
  offers?: Record<string, string>;
  /** With the issuer's token: every author's credential id once redeemed. */
  credentials?: Record<string, string>;
}

/** An author's offer as the MPU view shows it: the same links `POST /v1/offers` answers. */
interface MpuOfferLink {
  id: string;
  offerUri: string;
  walletLink: string;
  expiresAt: string;
}

function statementOf(rec: MpuRecord): MpuStatement {
  return JSON.parse(rec.statementText) as MpuStatement;
}

function authorsOf(rec: MpuRecord): string[] {
  return statementOf(rec).mpu.authors.map((a) => a.id);
}

/** The public view of a record; `offer` and `credential` are added by the caller when it may see them. */
function mpuView(rec: MpuRecord): MpuView {
  const authors = authorsOf(rec);
  return {
    id: rec.id,
    state: rec.state,
    statement: statementOf(rec),
    statementDigest: rec.statementDigest,
    signed: authors.filter((a) => rec.signatures[a]).length,
    of: authors.length,
    missing: authors.filter((a) => !rec.signatures[a]),
    signatures: authors
      .filter((a) => rec.signatures[a])
      .map((a) => ({
        author: a,
        at: rec.signatures[a]!.at,
        leafIndex: rec.signatures[a]!.receipt.leafIndex,
      })),
    ...(rec.declined
      ? {
          declined: {
            author: rec.declined.author,
            at: rec.declined.at,
            reason: rec.declined.reason ?? "",
            leafIndex: rec.declined.receipt.leafIndex,
          },
        }
      : {}),
  };
}

/** All signed, offers not yet recorded: a crash (or a failure) interrupted the completion. */
const awaitingOffers = (rec: MpuRecord): boolean =>
  rec.state === "open" && authorsOf(rec).every((a) => rec.signatures[a]);

/**
 * Registers a co-authored MPU: the body is checked exactly as an MPUAuthorship issuance
 * (schema, claims discipline), every author must be a did:key (their signatures are verified
 * offline from the DID alone), and one sign link per author is returned (its secret is shown once).
 * @throws SchemaError `schema.invalid`, `claims.*`; IssuerError `request.invalid`, `issuer.not_found`
 */
export async function registerMpu(ctx: MpuContext, issuerId: string, input: unknown): Promise<RegisteredMpu> {
  const body = parseInput(registerBodySchema, input);
  if ("subject" in body || "type" in body)
    throw new IssuerError("request.invalid", "send {mpu, scope?, validUntil?}: no type or subject", {
      path: "subject",
    });
  if ("coSignatures" in body.mpu)
    throw new IssuerError("request.invalid", "co-signatures are collected by this service, not sent", {
      path: "mpu.coSignatures",
    });
  const firstAuthor = (body.mpu as { authors?: { id?: unknown }[] }).authors?.[0]?.id;
  // Parsed as the issuance it will become (for the first author), so a refused MPU is refused now.
  const req = parseIssueRequest({ type: "MPUAuthorship", subject: { id: firstAuthor }, ...body });
  if (req.type !== "MPUAuthorship") throw new IssuerError("request.invalid", "not an MPU");
  req.mpu.authors.forEach((a, i) => {
    try {
      decodeDidKey(a.id);
    } catch {
      throw new IssuerError(
        "request.invalid",
        "every co-author must be a did:key, so that their signature can be checked by anyone",
        { path: `mpu.authors.${i}.id` },
      );
    }
  });
  const issuer = ctx.registry.require(issuerId);
  const statement = mpuStatement(mpuCredentialPart(req.mpu), issuer.did);
  const statementText = mpuStatementText(statement);
  const now = ctx.now();
  const id = `urn:uuid:${uuidv7(now.getTime())}`;
  const at = isoSeconds(now);
  const secrets = new Map(req.mpu.authors.map((a) => [a.id, randomBytes(24).toString("base64url")]));
  const { subject: _s, type: _t, ...request } = req as unknown as Record<string, unknown>;
  const rec: MpuRecord = {
    id,
    issuerId,
    issuerDid: issuer.did,
    request,
    statementText,
    statementDigest: sha256Hex(statementText),
    linkKeys: Object.fromEntries([...secrets].map(([a, s]) => [a, sha256Hex(s)])),
    signatures: {},
    state: "open",
    createdAt: at,
    updatedAt: at,
  };
  await ctx.writer.write(ctx.mpus.putOps(rec));
  return {
    id,
    statement,
    statementDigest: rec.statementDigest,
    signLinks: [...secrets].map(([author, secret]) => ({
      author,
      walletLink: `${ctx.baseUrl}/wallet/#mpu=${encodeURIComponent(`${ctx.baseUrl}/v1/mpus/${id}`)}&key=${secret}`,
    })),
  };
}

async function requireMpu(ctx: MpuContext, id: string): Promise<MpuRecord> {
  const rec = await ctx.mpus.get(id);
  if (!rec) throw new IssuerError("mpu.not_found", `no co-authored MPU ${id}`);
  return rec;
}

/**
 * Who may read an MPU: its issuer (token) sees every credential id; an author with the link key
 * sees their own credential once issued. Anyone else: `mpu.not_found` (the statement names DIDs).
 */
export async function readMpu(
  ctx: MpuContext,
  id: string,
  access: { issuerId?: string; key?: string },
): Promise<MpuView> {
  let rec = await requireMpu(ctx, id);
  const issuer = access.issuerId !== undefined && access.issuerId === rec.issuerId;
  const keyHash = access.key === undefined ? undefined : sha256Hex(access.key);
  const author = Object.keys(rec.linkKeys).find((a) => rec.linkKeys[a] === keyHash);
  if (!issuer && author === undefined) throw new IssuerError("mpu.not_found", `no co-authored MPU ${id}`);
  // The next request after an interrupted completion finishes it (exactly once, under the MPU's lock).
  if (awaitingOffers(rec))
    rec = await ctx.locks.run(`mpu:${id}`, async () => {
      const now = await requireMpu(ctx, id);
      if (awaitingOffers(now)) await offerToAuthors(ctx, now);
      return now;
    });
  const view = mpuView(rec);
  if (issuer) {
    if (rec.offers) {
      view.offers = { ...rec.offers };
      const credentials: Record<string, string> = {};
      for (const [a, offerId] of Object.entries(rec.offers)) {
        const credentialId = (await offerOf(ctx, rec, offerId))?.credentialId;
        if (credentialId !== undefined) credentials[a] = credentialId;
      }
      if (Object.keys(credentials).length > 0) view.credentials = credentials;
    }
    return view;
  }
  await addOwnOffer(ctx, rec, author!, view);
  return view;
}

/** One of the MPU's offers, or undefined when it does not exist (a storage failure still throws). */
async function offerOf(ctx: MpuContext, rec: MpuRecord, offerId: string): Promise<OfferView | undefined> {
  try {
    return await ctx.offers.get(rec.issuerId, offerId);
  } catch (e) {
    if (e instanceof IssuerError && e.code === "offer.not_found") return undefined;
    throw e;
  }
}

/** Adds the author's pending offer (links) or, once redeemed, the credential it became. */
async function addOwnOffer(ctx: MpuContext, rec: MpuRecord, author: string, view: MpuView): Promise<void> {
  const offerId = rec.offers?.[author];
  const sealed = rec.offerLinks?.[author];
  if (offerId === undefined || sealed === undefined) return;
  const offer = await offerOf(ctx, rec, offerId);
  if (offer?.credentialId !== undefined) {
    const cred = await ctx.records.get(offer.credentialId);
    if (cred) view.credential = issueResult(cred);
    return;
  }
  if (offer?.state !== "pending") return;
  const secret = new TextDecoder().decode(ctx.box.open(Buffer.from(sealed, "base64url")));
  const links = offerResponse(
    {
      id: offerId,
      offerId: secret,
      preAuthorizedCode: offerSecrets.codeOf(secret),
      expiresAt: new Date(offer.expiresAt),
    },
    ctx.baseUrl,
  ) as unknown as MpuOfferLink;
  view.offer = {
    id: offerId,
    offerUri: links.offerUri,
    walletLink: links.walletLink,
    expiresAt: links.expiresAt,
  };
}

/** Decodes and verifies an author's JWS: EdDSA, `kid` a DID URL of one of the MPU's authors, signature by that did:key. */
async function verifiedAuthorJws(
  rec: MpuRecord,
  jws: string,
): Promise<{ author: string; decoded: DecodedJws }> {
  let d: DecodedJws;
  try {
    d = decodeJws(jws, 8192);
  } catch (e) {
    throw new IssuerError(
      "mpu.signature_invalid",
      `the signature is not a compact JWS (${isCoreError(e) ? e.code : "unreadable"})`,
      { path: "jws" },
    );
  }
  const problem = checkJwsHeader(d.header, CREDENTIAL_HEADER_RULES);
  const kid = d.header.kid;
  if (problem || typeof kid !== "string" || !kid.includes("#"))
    throw new IssuerError(
      "mpu.signature_invalid",
      problem?.message ?? 'the JWS header needs "kid": <author DID>#<key id>',
      { path: "jws" },
    );
  const author = kid.slice(0, kid.indexOf("#"));
  if (!authorsOf(rec).includes(author))
    throw new IssuerError("mpu.not_author", "the signing key is not one of this MPU's authors", {
      path: "jws",
    });
  // RFC 7515 §5.2: the signature must hold with the key of the DID the kid names (did:key: the DID is the key).
  if (!(await verifyJwsSignature(d, decodeDidKey(author))))
    throw new IssuerError("mpu.signature_invalid", "the signature does not hold for the author's key", {
      path: "jws",
    });
  return { author, decoded: d };
}

/**
 * Records one author's signature over the statement (anchored `cosign` entry). When it is the
 * last one, issues every author's MPUAuthorship credential with all co-signatures in it.
 * Resolves after the entry (and, when complete, the credentials) are durable.
 * @throws IssuerError `mpu.not_found`, `mpu.signature_invalid` (422), `mpu.not_author` (403), `mpu.already_signed` / `mpu.closed` (409)
 */
export async function signMpu(ctx: MpuContext, id: string, input: unknown): Promise<MpuView> {
  const { jws } = parseInput(decisionBodySchema, input);
  return await ctx.locks.run(`mpu:${id}`, async () => {
    const rec = await requireMpu(ctx, id);
    if (awaitingOffers(rec)) await offerToAuthors(ctx, rec);
    const { author, decoded } = await verifiedAuthorJws(rec, jws);
    // The payload must be the statement itself (compared in RFC 8785 form), not another one.
    if (canonicalJson(decoded.payload) !== rec.statementText)
      throw new IssuerError("mpu.signature_invalid", "the JWS does not sign this MPU's statement", {
        path: "jws",
      });
    if (rec.state !== "open")
      throw new IssuerError("mpu.closed", `this MPU is ${rec.state}; it takes no more signatures`);
    if (rec.signatures[author]) throw new IssuerError("mpu.already_signed", "this author has already signed");
    const at = isoSeconds(ctx.now());
    const receipt = await anchorDecision(ctx, rec, jws, at);
    rec.signatures[author] = { jws, at, receipt };
    rec.updatedAt = at;
    // Durable first: a crash before the offers leaves every signature recorded, and the next
    // request about this MPU (a read, a signature or a decline) makes the offers.
    await ctx.writer.write(ctx.mpus.putOps(rec));
    if (awaitingOffers(rec)) await offerToAuthors(ctx, rec);
    const view = mpuView(rec);
    await addOwnOffer(ctx, rec, author, view);
    return view;
  });
}

/**
 * Records an author's refusal (anchored `cosign` entry with `event: "decline"`); the MPU then
 * stays unissued. The JWS payload is `{type: "MPUCoAuthorshipDecline", statement: <statementDigest>, reason}`.
 * @throws IssuerError as {@link signMpu}
 */
export async function declineMpu(ctx: MpuContext, id: string, input: unknown): Promise<MpuView> {
  const { jws } = parseInput(decisionBodySchema, input);
  return await ctx.locks.run(`mpu:${id}`, async () => {
    const rec = await requireMpu(ctx, id);
    if (awaitingOffers(rec)) await offerToAuthors(ctx, rec);
    const { author, decoded } = await verifiedAuthorJws(rec, jws);
    const payload = declinePayloadSchema.safeParse(decoded.payload);
    if (!payload.success || payload.data.statement !== rec.statementDigest)
      throw new IssuerError(
        "mpu.signature_invalid",
        `a refusal signs {type: "${MPU_DECLINE_TYPE}", statement: <this MPU's statementDigest>, reason}`,
        { path: "jws" },
      );
    if (rec.state !== "open")
      throw new IssuerError("mpu.closed", `this MPU is ${rec.state}; it takes no more decisions`);
    if (rec.signatures[author]) throw new IssuerError("mpu.already_signed", "this author has already signed");
    const at = isoSeconds(ctx.now());
    const receipt = await anchorDecision(ctx, rec, jws, at, true);
    rec.declined = { author, jws, at, receipt, reason: payload.data.reason };
    rec.state = "declined";
    rec.updatedAt = at;
    await ctx.writer.write(ctx.mpus.putOps(rec));
    return mpuView(rec);
  });
}

async function anchorDecision(
  ctx: MpuContext,
  rec: MpuRecord,
  jws: string,
  at: string,
  decline = false,
): Promise<Receipt> {
  return await anchorEntry(ctx.log, {
    kind: "cosign",
    mpu: rec.id,
    digest: sha256Hex(jws),
    statement: rec.statementDigest,
    issuer: rec.issuerDid,
    at,
    v: 1,
    ...(decline ? { event: "decline" as const } : {}),
  });
}

/**
 * Offers every author their MPUAuthorship credential, each carrying every co-signature and bound
 * to that author's DID; then the MPU is `issued`. Runs under the MPU's lock. Exactly once across
 * crashes: the offer ids are stored (durably) before any offer is made; a retry that finds an
 * offer already made (its link secret was lost with the crash) gives it a new link
 * (`OfferStore.reissue`: the old one is dead) instead of making a second offer.
 */
async function offerToAuthors(ctx: MpuContext, rec: MpuRecord): Promise<void> {
  const authors = authorsOf(rec);
  if (!rec.offers) {
    const t = ctx.now().getTime();
    rec.offers = Object.fromEntries(authors.map((a) => [a, uuidv7(t)]));
    await ctx.writer.write(ctx.mpus.putOps(rec));
  }
  const offerIds = rec.offers;
  const coSignatures: MpuCoSignature[] = authors.map((a) => ({
    author: a,
    jws: rec.signatures[a]!.jws,
    leafIndex: rec.signatures[a]!.receipt.leafIndex,
  }));
  const request = rec.request as { mpu: Record<string, unknown> };
  const body = { type: "MPUAuthorship", ...request, mpu: { ...request.mpu, coSignatures } };
  const secrets: Record<string, string> = {};
  const fresh: string[] = [];
  for (const a of authors) {
    const made = await offerOf(ctx, rec, offerIds[a]!);
    if (made) secrets[a] = (await ctx.offers.reissue(rec.issuerId, made.id)).created.offerId;
    else fresh.push(a);
  }
  const created = await ctx.offers.createMany(
    rec.issuerId,
    fresh.map((a) => ({ request: body, options: { id: offerIds[a]!, holder: a } })),
  );
  fresh.forEach((a, i) => (secrets[a] = created[i]!.offerId));
  rec.offerLinks = Object.fromEntries(
    authors.map((a) => [
      a,
      Buffer.from(ctx.box.seal(new TextEncoder().encode(secrets[a]!))).toString("base64url"),
    ]),
  );
  rec.state = "issued";
  rec.updatedAt = isoSeconds(ctx.now());
  await ctx.writer.write(ctx.mpus.putOps(rec));
}
