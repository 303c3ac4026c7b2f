// A definition read and laid out once per definition text.
import { useMemo } from "react";
import { readDefinition } from "./definition.ts";
import type { MachineModel } from "./definition.ts";
import { layoutMachine } from "./layout.ts";
import type { GraphLayout } from "./layout.ts";

export function useMachine(definition: string | undefined): { model?: MachineModel; layout?: GraphLayout; error?: string } {
  return useMemo(() => {
    if (definition === undefined) return {};
    try {
      const model = readDefinition(definition);
      return { model, layout: layoutMachine(model) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [definition]);
}
