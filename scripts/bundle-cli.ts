// Bundles the compiled CLI (dist/, written by tsc just before) into dist/bundle/ for bin/stepwright (`npm run
// build` and `prepare` run it). Why: Node resolves, reads and links every ES module of a command one by one;
// for the ~150 modules of a short `stepwright run` that was about half of its start-up (issue 13,
// bench/startup.ts). The bundle is a few files: what the run path loads eagerly in a few chunks, and every
// `import()` (serve, test, the task adapters, Distributed Map's runner) a chunk of its own, loaded only when
// used. Packages (node_modules) stay external: Node resolves and loads them as before.
//
// dist/bundle/ sits two folders below the package root like dist/<layer>/, so the paths the sources compute
// from import.meta.url (../../package.json, ../../console/) hold in the bundle too; the worker-thread entry
// (engine-worker.mjs) and the Lambda runtime process (runtime-process.mjs) are written beside the chunks,
// where worker-pool.ts and process-pool.ts look for them. Files end in .mjs: Node then knows them for ES
// modules without looking up the package.json that says so (a lookup per file, measured at start-up).
import { copyFileSync, rmSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join } from "node:path";
import { build } from "rolldown";
import type { Plugin } from "rolldown";

const root = join(import.meta.dirname, "..");
const dist = join(root, "dist");
const out = join(dist, "bundle");

const BUILTIN = "\0builtin:";

/**
 * Node built-ins are read with `process.getBuiltinModule` instead of imported. An ES import of a built-in
 * makes Node build the module's ES facade, which reads every export, lazy ones included: `node:fs` then loads
 * the whole streams stack (its ReadStream getter) and `node:util` its diff module, ~8 ms of a ~30 ms Node
 * start on the bench machine. Each export the bundle uses becomes one property read; unused ones are
 * dropped (the reads are marked pure), as is a built-in nothing uses.
 */
function builtinsWithoutFacades(): Plugin {
  return {
    name: "builtins-without-facades",
    resolveId(source, importer) {
      if (!isBuiltin(source)) return null;
      // One copy per importing module, bundled with it: a copy shared by several chunks would be a file of its own.
      const name = source.startsWith("node:") ? source : `node:${source}`;
      return { id: `${BUILTIN}${name}?${importer ?? ""}`, moduleSideEffects: false };
    },
    load(id) {
      if (!id.startsWith(BUILTIN)) return null;
      const name = id.slice(BUILTIN.length, id.indexOf("?"));
      const builtin: object | undefined = process.getBuiltinModule(name);
      if (builtin === undefined) throw new Error(`${name} is not a built-in module of Node ${process.version}`);
      const names = Object.keys(builtin).filter((key) => key !== "default" && isIdentifier(key));
      return [
        `const builtin = process.getBuiltinModule(${JSON.stringify(name)});`,
        "export default builtin;",
        ...names.map((key) => `export const ${key} = /* @__PURE__ */ (() => builtin.${key})();`),
      ].join("\n");
    },
  };
}

/** True when `name` can be the name of an exported const (not a reserved word). */
function isIdentifier(name: string): boolean {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return false;
  try {
    new Function(`"use strict"; let ${name};`);
    return true;
  } catch {
    return false;
  }
}

rmSync(out, { recursive: true, force: true });
await build({
  input: {
    // The entry bin/stepwright imports; its modification time dates the bundle (bin/dist-current.js).
    cli: join(dist, "cli", "main.js"),
    "engine-worker": join(dist, "runtime", "driver", "engine-worker.js"),
  },
  platform: "node",
  plugins: [builtinsWithoutFacades()],
  // Packages are left to Node; the project's own modules and the built-ins (above) are bundled.
  external: (id) => !id.startsWith(".") && !id.startsWith("/") && !id.startsWith(BUILTIN) && !isBuiltin(id),
  logLevel: "warn",
  output: { dir: out, format: "esm", entryFileNames: "[name].mjs", chunkFileNames: "[name]-[hash].mjs" },
});
copyFileSync(join(dist, "tasks", "lambda", "runtime-process.mjs"), join(out, "runtime-process.mjs"));
