// The digests of States.Hash and JSONata's $hash ("Intrinsic for hash calculation", intrinsic-functions.html;
// "JSONata functions provided by Step Functions", transforming-data.html): MD5, SHA-1, SHA-256, SHA-384 and
// SHA-512 of the text's UTF-8 bytes, as lowercase hex. Plain JavaScript (@noble/hashes), so query/ needs no Node
// built-in (ARCHITECTURE.md, "Layers").
import { md5, sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha384, sha512 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

const DIGESTS: ReadonlyMap<string, (bytes: Uint8Array) => Uint8Array> = new Map([
  ["MD5", md5],
  ["SHA-1", sha1],
  ["SHA-256", sha256],
  ["SHA-384", sha384],
  ["SHA-512", sha512],
]);

/** The algorithm names AWS accepts, in its order. */
export const HASH_ALGORITHMS: readonly string[] = [...DIGESTS.keys()];

/** The lowercase hex digest of `text`, or undefined when AWS does not know the algorithm. */
export function hashHex(algorithm: string, text: string): string | undefined {
  const digest = DIGESTS.get(algorithm);
  return digest === undefined ? undefined : bytesToHex(digest(utf8ToBytes(text)));
}
