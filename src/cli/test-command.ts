// `stepwright test`: runs *.sfn-test.(json|yaml|yml) files (src/testing) and reports their cases.
import type { CliCommand } from "./args.ts";

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export function testCommand(_command: Extract<CliCommand, { kind: "test" }>, _io: Output): Promise<number> {
  return Promise.reject(Object.assign(new Error("'stepwright test' is not supported yet by Stepwright"), { name: "NotSupportedYet" }));
}
