// Definition substitutions: `${KEY}` placeholders replaced before the definition is read, as SAM's and
// CloudFormation's `DefinitionSubstitutions` do (AWS::StepFunctions::StateMachine, "DefinitionSubstitutions":
// "A map (string to string) that specifies the mappings for placeholder variables in the state machine
// definition"). Many published sample definitions need them before they validate.

// A placeholder's key: CloudFormation's keys are alphanumeric; `_ . : -` are accepted too (logical ids, ARNs).
const PLACEHOLDER = /\$\{([A-Za-z0-9_.:-]+)\}/g;

/** The text with every known placeholder replaced, and the keys of those left (in order of first use). */
export function applySubstitutions(text: string, values: Readonly<Record<string, string>>): { text: string; unresolved: string[] } {
  const unresolved = new Set<string>();
  const replaced = text.replace(PLACEHOLDER, (whole, key: string) => {
    const value = values[key];
    if (value !== undefined) return value;
    unresolved.add(key);
    return whole;
  });
  return { text: replaced, unresolved: [...unresolved] };
}

/** The placeholder keys a definition text holds. */
export function placeholdersIn(text: string): string[] {
  return applySubstitutions(text, {}).unresolved;
}
