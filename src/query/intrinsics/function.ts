// What every intrinsic function implementation looks like.
import type { Json } from "../../util/json.ts";
import type { Random } from "../../util/random.ts";

/** What a function sees besides its evaluated arguments. */
export interface IntrinsicContext {
  /** The full function name, e.g. "States.Format", for failure texts. */
  readonly name: string;
  /** For each argument that is a string literal, its source text between the quotes (escapes intact). */
  readonly literals: readonly (string | undefined)[];
  readonly random: Random;
}

/** An intrinsic function: its arity (checked when the call is compiled) and its body. */
export interface IntrinsicFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  run(args: readonly Json[], context: IntrinsicContext): Json;
}
