// Intrinsic functions of JSONPath states ("Intrinsic functions", AWS docs, intrinsic-functions.html).
export { compileIntrinsic, pathNotFoundCause } from "./compile.ts";
export type { IntrinsicEvaluator } from "./compile.ts";
export { IntrinsicSyntaxError, isIntrinsicCall, parseIntrinsic, printIntrinsic } from "./parser.ts";
export type { IntrinsicArg, IntrinsicCall } from "./parser.ts";
export { INTRINSIC_FUNCTIONS } from "./registry.ts";
