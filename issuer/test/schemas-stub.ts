// TEMPORARY stand-in for @meritlog/schemas until it lands; removed then.
import { z } from "zod";
export class SchemaError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400, readonly path?: string) {
    super(message);
  }
}
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new SchemaError("schema.invalid", r.error.message, 400);
  return r.data;
}
const s = z.string().max(1000);
export const issueRequestSchema = z.strictObject({
  type: z.enum(["MicroCredential", "Attribution", "MPUAuthorship"]),
  subject: z.strictObject({ id: s }),
  achievement: z.any().optional(),
  scope: z.any().optional(),
  reviewLevel: s.optional(),
  evidence: z.array(z.strictObject({ id: s, digestSRI: s.optional() })).optional(),
  contribution: z.any().optional(),
  object: z.any().optional(),
  mpu: z.any().optional(),
  validFrom: s.optional(),
  validUntil: s.optional(),
});
export type IssueRequest = z.infer<typeof issueRequestSchema>;
export type LogEntry = { kind: string; issuer: string; digest: string; at: string; v: 1; credentialId?: string; [k: string]: unknown };
export function assertClaims(req: IssueRequest): void {
  const name = (req.achievement as { name?: string } | undefined)?.name ?? "";
  if (/^certified\b/i.test(name)) throw new SchemaError("claims.certification_implied", "name implies certification", 422, "achievement.name");
}
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
}
export const encodeLogEntry = (e: LogEntry): Uint8Array => new TextEncoder().encode(canonicalJson(e));
export function buildCredential(req: IssueRequest, ctx: { id: string; issuer: { id: string; name: string }; validFrom: string; credentialStatus?: unknown[]; supersedes?: string; renews?: string }) {
  const { type, subject, validFrom: _vf, validUntil, ...claims } = req;
  return {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    id: ctx.id,
    type: ["VerifiableCredential", "OpenBadgeCredential", type],
    issuer: { ...ctx.issuer, type: ["Profile"] },
    validFrom: ctx.validFrom,
    ...(validUntil ? { validUntil } : {}),
    credentialSubject: { id: subject.id, type: ["AchievementSubject"], ...claims },
    ...(ctx.credentialStatus ? { credentialStatus: ctx.credentialStatus } : {}),
  };
}
