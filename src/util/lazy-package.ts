// Packages that only some definitions need are loaded when first used, not when Stepwright starts: `jsonata`
// (JSONata expressions), `yaml` (YAML definition text, positions in diagnostics) and `@noble/hashes` (digests) were about a fifth of a short
// `stepwright run`'s start-up (issue 13, bench/startup.ts). Their callers are synchronous (validation and
// compilation run in one pass), so the package is required synchronously through Node's own loader, reached
// with `process.getBuiltinModule` (a global, Node >= 22.3) rather than an import of a `node:` module: the pure
// layers keep importing no Node built-in (ARCHITECTURE.md, "Layers"). A host without it provides the package
// with `providePackage` first.

/** The packages loaded this way. */
type LazyPackageName = "jsonata" | "yaml" | "@noble/hashes/legacy.js" | "@noble/hashes/sha2.js" | "@noble/hashes/utils.js" | "croner";

const provided = new Map<LazyPackageName, unknown>();

/** Gives the package to use for `name` (a host that is not Node.js, or a test). */
export function providePackage(name: LazyPackageName, module: unknown): void {
  provided.set(name, module);
}

interface NodeModuleApi {
  createRequire(from: string): (specifier: string) => unknown;
}

/** The package's exports (CommonJS `module.exports`, or an ES module's namespace: Node >= 22.12 requires both), loaded on the first call. */
export function lazyPackage<T>(name: LazyPackageName): T {
  let module = provided.get(name);
  if (module === undefined) {
    const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
    const nodeModule = host.process?.getBuiltinModule?.("module") as NodeModuleApi | undefined;
    if (nodeModule === undefined) throw new Error(`The package '${name}' was not provided (providePackage) and cannot be loaded here.`);
    module = nodeModule.createRequire(import.meta.url)(name);
    provided.set(name, module);
  }
  return module as T;
}
