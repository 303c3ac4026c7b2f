// The architecture's import direction (ARCHITECTURE.md, "Layers"):
// util <- sfn <- query <- asl <- engine <- runtime <- testing <- api <- cli; tasks and store import only sfn and util.
const layers = ["util", "sfn", "query", "asl", "engine", "runtime", "testing", "api", "cli"];
const forbidden = [];
layers.forEach((layer, i) => {
  const higher = layers.slice(i + 1);
  if (higher.length === 0) return;
  forbidden.push({
    name: `${layer}-imports-upward`,
    comment: `src/${layer} may not import from a layer above it (${higher.join(", ")})`,
    severity: "error",
    from: { path: `^src/${layer}/` },
    to: { path: `^src/(${higher.join("|")})/` },
  });
});
for (const leaf of ["tasks", "store"]) {
  forbidden.push({
    name: `${leaf}-imports-only-sfn-and-util`,
    comment: `src/${leaf} may import only src/sfn and src/util`,
    severity: "error",
    from: { path: `^src/${leaf}/` },
    to: { path: "^src/(query|asl|engine|runtime|api|cli|tasks|store)/", pathNot: `^src/${leaf}/` },
  });
}
// Lower layers must not reach into tasks or store either (only runtime and above wire them in).
forbidden.push({
  name: "core-does-not-import-adapters",
  severity: "error",
  from: { path: "^src/(util|sfn|query|asl|engine)/" },
  to: { path: "^src/(tasks|store)/" },
});
// The web console talks to the server only through the HTTP API: it shares no code with src/ (and src/ none with it).
forbidden.push({
  name: "console-talks-only-to-the-api",
  comment: "console/src is a browser app: it may not import src/ (it calls the API over HTTP)",
  severity: "error",
  from: { path: "^console/src/" },
  to: { path: "^src/" },
});
forbidden.push({ name: "src-does-not-import-console", severity: "error", from: { path: "^src/" }, to: { path: "^console/" } });
// The pure layers import no Node built-in: time and randomness come in through the Clock and Random interfaces
// (src/util), so the interpreter runs the same anywhere and replays deterministically.
forbidden.push({
  name: "pure-layers-import-no-node-builtins",
  comment: "src/util, src/sfn, src/query, src/asl and src/engine may not import Node built-ins (node:*)",
  severity: "error",
  from: { path: "^src/(util|sfn|query|asl|engine)/" },
  to: { dependencyTypes: ["core"] },
});
forbidden.push({ name: "no-circular", severity: "error", from: {}, to: { circular: true } });
module.exports = { forbidden, options: { tsPreCompilationDeps: true, doNotFollow: { path: "node_modules" }, tsConfig: { fileName: "tsconfig.json" } } };
