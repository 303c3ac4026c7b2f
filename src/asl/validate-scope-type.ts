// The signature of the scope validator, kept apart so state checks can recurse without an import cycle.
import type { Segments } from "./diagnostics.ts";
import type { ValidationContext } from "./validate-context.ts";

/** What kind of scope a { StartAt, States } object is: the machine, a Parallel branch, or a Map processor. */
export type ScopeKind = "machine" | "branch" | "processor";

/** Validates a scope (its own fields, its states, and its graph). */
export type ScopeValidator = (ctx: ValidationContext, scope: unknown, at: Segments, kind: ScopeKind) => void;
