// Whether dist/ (the compiled JavaScript) may be run instead of src/: true when it was built after the last
// change of every file in src/ (tsc rewrites every output file on each build; dist/cli/main.js dates the build).
// A published package ships no src/, so its dist/ is current by definition. CommonJS, see bin/stepwright.
"use strict";
const { readdirSync, statSync } = require("node:fs");
const { join } = require("node:path");

/** True when `root`/dist holds a build not older than any file of `root`/src (about a millisecond for 250 files). */
function distIsCurrent(root) {
  let built;
  try {
    built = statSync(join(root, "dist", "cli", "main.js")).mtimeMs;
  } catch {
    return false;
  }
  let entries;
  try {
    entries = readdirSync(join(root, "src"), { recursive: true, withFileTypes: true });
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (entry.isFile() && statSync(join(entry.parentPath, entry.name)).mtimeMs > built) return false;
  }
  return true;
}

module.exports = { distIsCurrent };
