// Name rules of "Naming" in CreateStateMachine / StartExecution (AWS API reference): 1-80 characters, none of
// whitespace, brackets < > { } [ ], wildcards ? *, special characters " # % \ ^ | ~ ` $ & , ; : /, control characters.
import { DEFAULT_LIMITS } from "../../sfn/limits.ts";
import { invalidName } from "./errors.ts";

const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

/** True when AWS accepts `name` for a state machine, execution, activity or alias. */
export function isValidName(name: string, maxLength: number = DEFAULT_LIMITS.maxNameLength): boolean {
  return name.length >= 1 && name.length <= maxLength && !FORBIDDEN.test(name);
}

/** Throws InvalidName unless AWS accepts `name`. */
export function assertValidName(name: string, maxLength?: number): void {
  if (!isValidName(name, maxLength)) throw invalidName(name);
}
