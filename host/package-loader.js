// The package loader of a Node.js host (package.json "imports", condition "node"): the packages that
// src/util/lazy-package.ts loads on first use, required synchronously through Node's module system. It sits
// outside src/ so that the pure layers (util, sfn, query, asl, engine) name no Node API: they import
// "#package-loader", and the host's own resolution picks this file on Node, no-package-loader.js elsewhere
// (ARCHITECTURE.md, "Layers"). It keeps no state, so the sources, dist/ and the CLI bundle may each reach it.
import { createRequire } from "node:module";

const requireFromHere = createRequire(import.meta.url);

/** The package's exports (CommonJS `module.exports`, or an ES module's namespace: Node >= 22.12 requires both). */
export function loadPackage(name) {
  return requireFromHere(name);
}
