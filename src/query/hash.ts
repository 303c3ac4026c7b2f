// The digests of States.Hash and JSONata's $hash ("Intrinsic for hash calculation", intrinsic-functions.html;
// "JSONata functions provided by Step Functions", transforming-data.html): MD5, SHA-1, SHA-256, SHA-384 and
// SHA-512 of the text's UTF-8 bytes, as lowercase hex. Plain JavaScript (@noble/hashes), so query/ needs no Node
// built-in (ARCHITECTURE.md, "Layers").
// The package is loaded on the first digest (util/lazy-package.ts): most runs never hash (issue 13).
import type * as Legacy from "@noble/hashes/legacy.js";
import type * as Sha2 from "@noble/hashes/sha2.js";
import type * as Utils from "@noble/hashes/utils.js";
import { lazyPackage } from "../util/lazy-package.ts";

type Digest = (bytes: Uint8Array) => Uint8Array;

const DIGESTS: ReadonlyMap<string, () => Digest> = new Map([
  ["MD5", () => lazyPackage<typeof Legacy>("@noble/hashes/legacy.js").md5],
  ["SHA-1", () => lazyPackage<typeof Legacy>("@noble/hashes/legacy.js").sha1],
  ["SHA-256", () => lazyPackage<typeof Sha2>("@noble/hashes/sha2.js").sha256],
  ["SHA-384", () => lazyPackage<typeof Sha2>("@noble/hashes/sha2.js").sha384],
  ["SHA-512", () => lazyPackage<typeof Sha2>("@noble/hashes/sha2.js").sha512],
]);

/** The algorithm names AWS accepts, in its order. */
export const HASH_ALGORITHMS: readonly string[] = [...DIGESTS.keys()];

/** The lowercase hex digest of `text`, or undefined when AWS does not know the algorithm. */
export function hashHex(algorithm: string, text: string): string | undefined {
  const digest = DIGESTS.get(algorithm);
  if (digest === undefined) return undefined;
  const { bytesToHex, utf8ToBytes } = lazyPackage<typeof Utils>("@noble/hashes/utils.js");
  return bytesToHex(digest()(utf8ToBytes(text)));
}
