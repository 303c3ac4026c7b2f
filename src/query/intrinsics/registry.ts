// The intrinsic functions AWS provides, by name ("Intrinsic functions", AWS docs, intrinsic-functions.html).
import type { IntrinsicFunction } from "./function.ts";
import {
  statesArray,
  statesArrayContains,
  statesArrayGetItem,
  statesArrayLength,
  statesArrayPartition,
  statesArrayRange,
  statesArrayUnique,
} from "./functions-array.ts";
import {
  statesBase64Decode,
  statesBase64Encode,
  statesHash,
  statesJsonMerge,
  statesJsonToString,
  statesStringToJson,
} from "./functions-data.ts";
import {
  statesFormat,
  statesMathAdd,
  statesMathRandom,
  statesStringSplit,
  statesUuid,
} from "./functions-misc.ts";

/** Every intrinsic function, keyed by its full name. */
export const INTRINSIC_FUNCTIONS: ReadonlyMap<string, IntrinsicFunction> = new Map([
  ["States.Format", statesFormat],
  ["States.StringToJson", statesStringToJson],
  ["States.JsonToString", statesJsonToString],
  ["States.Array", statesArray],
  ["States.ArrayPartition", statesArrayPartition],
  ["States.ArrayContains", statesArrayContains],
  ["States.ArrayRange", statesArrayRange],
  ["States.ArrayGetItem", statesArrayGetItem],
  ["States.ArrayLength", statesArrayLength],
  ["States.ArrayUnique", statesArrayUnique],
  ["States.Base64Encode", statesBase64Encode],
  ["States.Base64Decode", statesBase64Decode],
  ["States.Hash", statesHash],
  ["States.JsonMerge", statesJsonMerge],
  ["States.MathRandom", statesMathRandom],
  ["States.MathAdd", statesMathAdd],
  ["States.StringSplit", statesStringSplit],
  ["States.UUID", statesUuid],
]);
