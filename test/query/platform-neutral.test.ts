// The pure layers compute with web-standard JavaScript (TextEncoder, atob/btoa, @noble/hashes) instead of Node's
// Buffer and node:crypto (ARCHITECTURE.md, "Layers"): the same results as Node's, for any text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { utf8ByteLength } from "../../src/sfn/limits.ts";
import { HASH_ALGORITHMS, hashHex } from "../../src/query/hash.ts";
import { statesBase64Decode, statesBase64Encode } from "../../src/query/intrinsics/functions-data.ts";
import { seededRandom } from "../../src/util/random.ts";

// Any UTF-16 text, lone surrogates included.
const text = fc.string({ unit: fc.oneof(fc.constant("\ud800"), fc.constant("\udc00"), fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })), maxLength: 60 });
const context = (name: string) => ({ name, literals: [], random: seededRandom(1) });

test("utf8ByteLength counts what Buffer.byteLength counts", () => {
  fc.assert(fc.property(text, (s) => utf8ByteLength(s) === Buffer.byteLength(s, "utf8")), { numRuns: 500 });
});

test("States.Base64Encode and Base64Decode give Buffer's results", () => {
  fc.assert(fc.property(text, (s) => {
    const encoded = statesBase64Encode.run([s], context("States.Base64Encode"));
    assert.equal(encoded, Buffer.from(s, "utf8").toString("base64"));
    assert.equal(statesBase64Decode.run([encoded], context("States.Base64Decode")), Buffer.from(s, "utf8").toString("utf8"));
  }), { numRuns: 300 });
  // Bytes that are not UTF-8 decode to U+FFFD.
  assert.equal(statesBase64Decode.run(["/w=="], context("States.Base64Decode")), Buffer.from("/w==", "base64").toString("utf8"));
});

test("hashHex gives node:crypto's digests", () => {
  const node: Record<string, string> = { MD5: "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };
  assert.deepEqual([...HASH_ALGORITHMS], Object.keys(node));
  fc.assert(fc.property(text, fc.constantFrom(...HASH_ALGORITHMS), (s, algorithm) =>
    hashHex(algorithm, s) === createHash(node[algorithm]!).update(s, "utf8").digest("hex")), { numRuns: 300 });
  assert.equal(hashHex("SHA-3", "x"), undefined);
});
