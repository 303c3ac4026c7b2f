// Literal argument types of intrinsic functions, refused when the definition is created ("Intrinsic
// functions", AWS docs intrinsic-functions.html: e.g. States.MathAdd takes numbers). Path arguments are
// only known at run time; argument counts are checked by the query layer's compileIntrinsic.
import { parseIntrinsic } from "../query/intrinsics/index.ts";
import type { IntrinsicArg, IntrinsicCall } from "../query/intrinsics/index.ts";

type LiteralKind = "string" | "number" | "boolean" | "null";

/** Allowed literal kinds per position (the last entry repeats; an empty list allows any). */
const LITERALS: Record<string, readonly (readonly LiteralKind[])[]> = {
  "States.Format": [["string"], []],
  "States.StringToJson": [["string"]],
  "States.ArrayPartition": [[], ["number"]],
  "States.ArrayRange": [["number"]],
  "States.ArrayGetItem": [[], ["number"]],
  "States.Base64Encode": [["string"]],
  "States.Base64Decode": [["string"]],
  "States.Hash": [["string"]],
  "States.JsonMerge": [[], [], ["boolean"]],
  "States.MathRandom": [["number"]],
  "States.MathAdd": [["number"]],
  "States.StringSplit": [["string"]],
};

/** The literal-argument problem of a well-formed intrinsic call, or undefined. */
export function intrinsicArgumentError(text: string): string | undefined {
  try {
    return checkCall(parseIntrinsic(text));
  } catch {
    return undefined;
  }
}

function checkCall(call: IntrinsicCall): string | undefined {
  const rules = LITERALS[call.name];
  for (const [i, arg] of call.args.entries()) {
    if (arg.kind === "call") {
      const inner = checkCall(arg.call);
      if (inner !== undefined) return inner;
      continue;
    }
    if (arg.kind === "path" || rules === undefined) continue;
    const allowed = rules[Math.min(i, rules.length - 1)] ?? [];
    const kind = literalKind(arg);
    if (allowed.length > 0 && !allowed.includes(kind)) {
      return `argument ${i + 1} of ${call.name} must be a ${allowed.join(" or ")}, not a ${kind}`;
    }
  }
  return undefined;
}

function literalKind(arg: Exclude<IntrinsicArg, { kind: "path" } | { kind: "call" }>): LiteralKind {
  return arg.kind;
}
