// The package loader of a host that is not Node.js (package.json "imports", condition "default"): such a
// host gives Stepwright its packages with providePackage (src/util/lazy-package.ts) before using the
// features that need them (JSONata, YAML, States.Hash).

/** Refuses, naming the package and how to give it. */
export function loadPackage(name) {
  throw new Error(`The package '${name}' cannot be loaded on this host: give it with providePackage('${name}', module) first.`);
}
