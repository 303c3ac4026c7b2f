// Every state name of a definition, nested ones (Parallel branches, Map processors) included: what a mock
// configuration's test case may name.

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The names of all states of a (parsed) definition. */
export function allStateNames(definition: unknown): Set<string> {
  const names = new Set<string>();
  const visit = (scope: unknown): void => {
    if (!isObject(scope) || !isObject(scope["States"])) return;
    for (const [name, state] of Object.entries(scope["States"])) {
      names.add(name);
      if (!isObject(state)) continue;
      if (Array.isArray(state["Branches"])) for (const branch of state["Branches"]) visit(branch);
      visit(state["ItemProcessor"]);
      visit(state["Iterator"]);
    }
  };
  visit(definition);
  return names;
}
