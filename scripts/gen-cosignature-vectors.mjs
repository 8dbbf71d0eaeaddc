// Regenerates testdata/ledger/cosignature.json. The signatures are made with node:crypto (Ed25519
// is deterministic, RFC 8032 §5.1.6) from golang.org/x/mod/sumdb/note's test key, so the browser
// verifier (@noble/ed25519) is tested against an independent signer. Run: node scripts/gen-cosignature-vectors.mjs
import { createHash, createPrivateKey, createPublicKey, sign } from "node:crypto";
import { writeFileSync } from "node:fs";

const b64 = (b) => Buffer.from(b).toString("base64");
const keyId = (name, alg, pk) =>
  createHash("sha256")
    .update(Buffer.concat([Buffer.from(name + "\n"), Buffer.of(alg), pk]))
    .digest()
    .subarray(0, 4);
// golang.org/x/mod/sumdb/note note_test.go: PeterNeumann's signer key (its base64 holds a '+').
const seedOf = (skey) => Buffer.from(skey.split("+").slice(4).join("+"), "base64").subarray(1);
const keyPair = (seed) => {
  const priv = createPrivateKey({
    key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]),
    format: "der",
    type: "pkcs8",
  });
  const pub = createPublicKey(priv).export({ format: "der", type: "spki" }).subarray(12);
  return { priv, pub };
};
const peter = keyPair(
  seedOf("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"),
);
// RFC 8032 §7.1 TEST 2 secret key: the "wrong key" of the negatives.
const enoch = keyPair(Buffer.from("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "hex"));

const W = "witness.example.com/w1";
const vkey = (name, pub) =>
  `${name}+${keyId(name, 4, pub).toString("hex")}+${b64(Buffer.concat([Buffer.of(4), pub]))}`;
// The checkpoint and log signature line of c2sp.org/tlog-cosignature's example.
const body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
const logLine =
  "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
const T = 1679315147n;
const cosign = (k, name, b, t) => {
  const sig = sign(null, Buffer.from(`cosignature/v1\ntime ${t}\n${b}`), k.priv);
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(t);
  return {
    raw: Buffer.concat([keyId(name, 4, k.pub), ts, sig]),
    line: (raw) => `\u2014 ${name} ${b64(raw)}\n`,
  };
};
const good = cosign(peter, W, body, T);
const note = (b, line) => `${b}\n${logLine}${line}`;
const flipped = Buffer.from(good.raw);
flipped[40] ^= 1;
const retimed = Buffer.from(good.raw);
retimed.writeBigUInt64BE(T + 1n, 4);
const otherOrigin = "example.com/under-the-bed\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
const byEnoch = cosign(enoch, W, body, T);

const out = {
  source:
    "c2sp.org/tlog-cosignature (Format, Ed25519 signed message, the example checkpoint and cosignature line) and c2sp.org/tlog-witness (add-checkpoint example); transparency-dev/formats note/note_cosigv1_test.go (TestCoSigV1NewVerifier, TestCosignatureTimestamp); signed vectors made by scripts/gen-cosignature-vectors.mjs with node:crypto from golang.org/x/mod/sumdb/note's PeterNeumann test key",
  cosignerKeys: [
    {
      desc: "native Ed25519 cosignature/v1 vkey (transparency-dev/formats TestCoSigV1NewVerifier)",
      key: "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2",
      wantErr: false,
      name: "remora.n621.de",
      keyId: "da77ade7",
    },
    {
      desc: "the test cosigner (PeterNeumann's public key as type 0x04)",
      key: vkey(W, peter.pub),
      wantErr: false,
      name: W,
      keyId: keyId(W, 4, peter.pub).toString("hex"),
    },
    {
      desc: "a signed-note Ed25519 (0x01) key is not a cosigner key",
      key: "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6",
      wantErr: true,
    },
    { desc: "wrong number of parts", key: "bananas.sigstore.dev+12344556", wantErr: true },
    { desc: "invalid base64", key: "rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!", wantErr: true },
    { desc: "invalid algorithm", key: "rekor.sigstore.dev+12345678+AwEB", wantErr: true },
    {
      desc: "key ID does not match",
      key: "remora.n621.de+00000000+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2",
      wantErr: true,
    },
    {
      desc: "key ID not hex",
      key: "remora.n621.de+NOT_A_NUMBER+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2",
      wantErr: true,
    },
  ],
  timestamps: [
    {
      desc: "tlog-cosignature example cosignature line (witness.example.com/w1)",
      signature:
        "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==",
      keyId: "8d66cf3f",
      timestamp: 1679315147,
      wantErr: false,
    },
    {
      desc: "transparency-dev/formats TestCosignatureTimestamp works",
      signature:
        "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==",
      keyId: "646846b9",
      timestamp: 1727964367,
      wantErr: false,
    },
    {
      desc: "transparency-dev/formats: a plain Ed25519 note signature has no timestamp",
      signature:
        "eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=",
      wantErr: true,
    },
  ],
  message: {
    desc: "tlog-cosignature 'Ed25519 signed message' example",
    body,
    timestamp: 1679315147,
    want: "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
  },
  witnessRequest: {
    desc: "tlog-witness add-checkpoint example request body",
    body: "old 20852014\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\njrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n\u2014 example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n",
    oldSize: 20852014,
    proofLength: 4,
    origin: "example.com/behind-the-sofa",
    size: 20852163,
  },
  cosigner: vkey(W, peter.pub),
  notes: [
    {
      desc: "valid cosignature",
      note: note(body, good.line(good.raw)),
      wantValid: true,
      timestamp: 1679315147,
    },
    {
      desc: "cosignature by another key under the cosigner's name and key ID",
      note: note(body, byEnoch.line(Buffer.concat([keyId(W, 4, peter.pub), byEnoch.raw.subarray(4)]))),
      wantValid: false,
    },
    { desc: "flipped byte in the signature", note: note(body, good.line(flipped)), wantValid: false },
    {
      desc: "wrong time (timestamp changed after signing)",
      note: note(body, good.line(retimed)),
      wantValid: false,
    },
    {
      desc: "wrong origin (the signature moved to another log's checkpoint)",
      note: note(otherOrigin, good.line(good.raw)),
      wantValid: false,
    },
    {
      desc: "extension line added after signing",
      note: note(body + "extension\n", good.line(good.raw)),
      wantValid: false,
    },
    {
      desc: "no cosignature (only the log's signature)",
      note: `${body}\n${logLine}`,
      wantValid: false,
      absent: true,
    },
  ],
};
writeFileSync(
  new URL("../testdata/ledger/cosignature.json", import.meta.url),
  JSON.stringify(out, null, 1) + "\n",
);
