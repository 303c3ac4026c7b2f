// The array intrinsics ("Intrinsics for arrays", AWS docs, intrinsic-functions.html#asl-intrsc-func-arrays).
import type { Json } from "../../util/json.ts";
import { isRawNumber } from "../../util/json.ts";
import { jsonEquals } from "../jsonpath.ts";
import { jsonKey } from "../json-key.ts";
import { arrayArg, integerArg, intrinsicFailure, roundedIntegerArg } from "./args.ts";
import type { IntrinsicFunction } from "./function.ts";

/** AWS caps the arrays States.ArrayRange builds. */
const MAX_RANGE_ITEMS = 1000;

/** States.Array(values...): the arguments as an array. */
export const statesArray: IntrinsicFunction = {
  minArgs: 0,
  maxArgs: Infinity,
  run: (args) => args.slice(),
};

/** States.ArrayPartition(array, chunkSize): consecutive chunks; the last may be shorter. */
export const statesArrayPartition: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 2,
  run: (args, { name }) => {
    const array = arrayArg(name, args, 0);
    const size = integerArg(name, args, 1);
    if (size <= 0) throw intrinsicFailure(name, `the chunk size must be a positive integer, but was ${size}`);
    const chunks: Json[] = [];
    for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
    return chunks;
  },
};

/** States.ArrayContains(array, value): whether the array holds a value equal to `value`. */
export const statesArrayContains: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 2,
  run: (args, { name }) => {
    const array = arrayArg(name, args, 0);
    const value = args[1] ?? null;
    return array.some((item) => jsonEquals(item, value));
  },
};

/** States.ArrayRange(first, last, step): first, first+step, ... up to and including last; at most 1000 items. */
export const statesArrayRange: IntrinsicFunction = {
  minArgs: 3,
  maxArgs: 3,
  run: (args, { name }) => {
    const first = roundedIntegerArg(name, args, 0);
    const last = roundedIntegerArg(name, args, 1);
    const step = roundedIntegerArg(name, args, 2);
    if (step === 0) throw intrinsicFailure(name, "the step must not be 0");
    const count = (step > 0 ? last >= first : last <= first) ? Math.floor((last - first) / step) + 1 : 0;
    if (count > MAX_RANGE_ITEMS) {
      throw intrinsicFailure(name, `the range must have at most ${MAX_RANGE_ITEMS} items, but would have ${count}`);
    }
    const result: Json[] = [];
    for (let i = 0; i < count; i++) result.push(first + i * step);
    return result;
  },
};

/** States.ArrayGetItem(array, index): the item at a zero-based index. */
export const statesArrayGetItem: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 2,
  run: (args, { name }) => {
    const array = arrayArg(name, args, 0);
    const index = integerArg(name, args, 1);
    const item = index < 0 ? undefined : array[index];
    if (item === undefined) {
      throw intrinsicFailure(name, `the index ${index} is out of bounds for an array of length ${array.length}`);
    }
    return item;
  },
};

/** States.ArrayLength(array): the number of items. */
export const statesArrayLength: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: 1,
  run: (args, { name }) => arrayArg(name, args, 0).length,
};

/** States.ArrayUnique(array): the items without repeats, first occurrences kept in order. */
export const statesArrayUnique: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: 1,
  run: (args, { name }) => {
    // Equal items are found in sets (arrays and objects by their key, json-key.ts): linear in the array, where
    // comparing pairs is quadratic. Strings and other scalars are set members themselves, each kind apart.
    const strings = new Set<string>();
    const scalars = new Set<number | boolean | null>();
    const structures = new Set<string>();
    const unique: Json[] = [];
    for (const item of arrayArg(name, args, 0)) {
      const fresh =
        typeof item === "string"
          ? added(strings, item)
          : item === null || typeof item !== "object"
            ? added(scalars, item)
            : isRawNumber(item)
              ? added(scalars, Number(item.rawJSON)) // a kept number text (`0.0`) is its number
              : added(structures, jsonKey(item));
      if (fresh) unique.push(item);
    }
    return unique;
  },
};

/** Adds a value to a set; true when it was not there yet. */
function added<T>(set: Set<T>, value: T): boolean {
  const before = set.size;
  set.add(value);
  return set.size > before;
}
