// Copies and thread messages of data that may hold kept number texts (JSON.rawJSON leaves, util/json.ts), which
// structuredClone and postMessage refuse ("could not be cloned"). The usual data holds none: it takes
// structuredClone as before, and only a refusal takes the walks below.
import { isRawNumber, rawNumber } from "./json.ts";

/** A deep copy (structuredClone) that shares kept number texts, which are immutable, instead of refusing them. */
export function cloneData<T>(value: T): T;
export function cloneData(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch (error) {
    if (!(error instanceof DOMException && error.name === "DataCloneError")) throw error;
    return copyWith(value, (raw) => raw);
  }
}

// Where a kept number text crosses a thread (worker_threads' postMessage), it travels as this one-member object.
const WIRE_KEY = "\u0000stepwright.rawJSON";

/**
 * Sends `message` through `post` (postMessage); when it holds a kept number text, sends a copy in which each one
 * is `{ WIRE_KEY: text }` and `true` as `encoded` for the receiver's fromWire.
 */
export function postData<M>(message: M, post: (message: M | { readonly encoded: unknown }) => void): void {
  try {
    post(message);
  } catch (error) {
    if (!(error instanceof DOMException && error.name === "DataCloneError")) throw error;
    post({ encoded: copyWith(message, (raw) => ({ [WIRE_KEY]: raw.rawJSON })) });
  }
}

/** The message postData sent: an encoded one with its kept number texts restored (in place: it is a fresh copy). */
export function receivedData<M>(message: M | { readonly encoded: unknown }): M;
export function receivedData(message: unknown): unknown {
  if (typeof message !== "object" || message === null || !("encoded" in message) || Object.keys(message).length !== 1) return message;
  return restore(message.encoded);
}

function restore(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restore(value[i]);
    return value;
  }
  if (!isPlainObject(value)) return value;
  const wire: unknown = Object.hasOwn(value, WIRE_KEY) ? Reflect.get(value, WIRE_KEY) : undefined;
  if (typeof wire === "string") return rawNumber(wire);
  for (const key of Object.keys(value)) Reflect.set(value, key, restore(Reflect.get(value, key)));
  return value;
}

/** A copy of arrays and plain objects, each kept number text replaced by `raw(it)`; other objects cloned. */
function copyWith(value: unknown, raw: (leaf: { readonly rawJSON: string }) => unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (isRawNumber(value)) return raw(value);
  if (Array.isArray(value)) return value.map((item: unknown) => copyWith(item, raw));
  if (!isPlainObject(value)) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyWith(Reflect.get(value, key), raw);
  return out;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
