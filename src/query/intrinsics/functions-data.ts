// Encoding, hashing and JSON intrinsics ("Intrinsics for data encoding and decoding", "Intrinsic for hash
// calculation", "Intrinsics for JSON data manipulation"; AWS docs, intrinsic-functions.html).
import type { Json } from "../../util/json.ts";
import { booleanArg, checkMaxLength, intrinsicFailure, objectArg, stringArg } from "./args.ts";
import type { IntrinsicFunction } from "./function.ts";
import { HASH_ALGORITHMS, hashHex } from "../hash.ts";

/** AWS limits the input of Base64Encode, Base64Decode and Hash to 10,000 characters. */
const MAX_INPUT_CHARS = 10_000;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** States.Base64Encode(string): the MIME Base64 encoding of the UTF-8 bytes. */
export const statesBase64Encode: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: 1,
  run: (args, { name }) => {
    const text = stringArg(name, args, 0);
    checkMaxLength(name, text, MAX_INPUT_CHARS);
    let binary = "";
    for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
    return btoa(binary);
  },
};

/** States.Base64Decode(base64): the decoded text. */
export const statesBase64Decode: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: 1,
  run: (args, { name }) => {
    const encoded = stringArg(name, args, 0);
    checkMaxLength(name, encoded, MAX_INPUT_CHARS);
    if (!BASE64.test(encoded)) throw intrinsicFailure(name, `the input is not valid Base64: ${JSON.stringify(encoded)}`);
    // Invalid UTF-8 decodes to U+FFFD, as a Java String built from the bytes does.
    return new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));
  },
};

/** States.Hash(data, algorithm): the lowercase hex digest (MD5, SHA-1, SHA-256, SHA-384, SHA-512). */
export const statesHash: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 2,
  run: (args, { name }) => {
    const data = stringArg(name, args, 0);
    checkMaxLength(name, data, MAX_INPUT_CHARS);
    const algorithm = stringArg(name, args, 1);
    const digest = hashHex(algorithm, data);
    if (digest === undefined) {
      throw intrinsicFailure(name, `the algorithm must be one of ${HASH_ALGORITHMS.join(", ")}, but was '${algorithm}'`);
    }
    return digest;
  },
};

/** States.StringToJson(string): the parsed JSON value; an empty or blank string gives null (as AWS does). */
export const statesStringToJson: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: 1,
  run: (args, { name }) => {
    const text = stringArg(name, args, 0);
    if (text.trim() === "") return null;
    try {
      // -0 parses to 0 as it does in Java.
      return JSON.parse(text, (_key, value: Json) => (Object.is(value, -0) ? 0 : value)) as Json;
    } catch {
      throw intrinsicFailure(name, `the argument is not valid JSON: ${JSON.stringify(text)}`);
    }
  },
};

/** States.JsonToString(value): compact JSON text, keys in their order. */
export const statesJsonToString: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: 1,
  run: (args) => JSON.stringify(args[0] ?? null),
};

/** States.JsonMerge(a, b, false): a shallow merge, b's keys winning; AWS supports no deep merge. */
export const statesJsonMerge: IntrinsicFunction = {
  minArgs: 3,
  maxArgs: 3,
  run: (args, { name }) => {
    const left = objectArg(name, args, 0);
    const right = objectArg(name, args, 1);
    if (booleanArg(name, args, 2)) throw intrinsicFailure(name, "deep merge is not supported; the third argument must be false");
    return { ...left, ...right };
  },
};
