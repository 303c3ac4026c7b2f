// Packages that only some definitions need are loaded when first used, not when Stepwright starts: `jsonata`
// (JSONata expressions), `yaml` (YAML definition text, positions in diagnostics) and `@noble/hashes` (digests) were about a fifth of a short
// `stepwright run`'s start-up (issue 13, bench/startup.ts). Their callers are synchronous (validation and
// compilation run in one pass), so the package is loaded synchronously by the host's loader, `#package-loader`
// (package.json "imports"): on Node.js host/package-loader.js requires it, elsewhere host/no-package-loader.js
// refuses. The pure layers so name no Node API (ARCHITECTURE.md, "Layers"); a host that is not Node.js gives
// the packages with `providePackage` first.
import { loadPackage } from "#package-loader";

/** The packages loaded this way. */
type LazyPackageName = "jsonata" | "yaml" | "@noble/hashes/legacy.js" | "@noble/hashes/sha2.js" | "@noble/hashes/utils.js" | "croner";

const provided = new Map<LazyPackageName, unknown>();

/** Gives the package to use for `name` (a host that is not Node.js, or a test). */
export function providePackage(name: LazyPackageName, module: unknown): void {
  provided.set(name, module);
}

/** The package's exports, loaded on the first call. */
export function lazyPackage<T>(name: LazyPackageName): T {
  let module = provided.get(name);
  if (module === undefined) {
    module = loadPackage(name);
    provided.set(name, module);
  }
  return module as T;
}
