// Which compiled build of the CLI may be run instead of src/: one built after the last change of every file in
// src/. dist/bundle/cli.mjs (scripts/bundle-cli.ts, written after tsc) is preferred: the run path in a few files
// instead of ~150 modules, the larger part of a short command's start-up (issue 13). dist/cli/main.js (tsc
// rewrites every output file on each build, so it dates the build) is next, for a build made by `tsc` alone.
// A published package ships no src/, so its builds are current by definition. CommonJS, see bin/stepwright.
"use strict";
const { readdirSync, statSync } = require("node:fs");
const { join } = require("node:path");

/** The compiled entries, best first, each with the file whose modification time dates its build. */
const BUILDS = [
  { kind: "bundle", entry: join("dist", "bundle", "cli.mjs") },
  { kind: "dist", entry: join("dist", "cli", "main.js") },
];

function modifiedAt(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * The newest modification time of a file under `dir` (`root`/src), -Infinity without it. A walk by hand: the
 * recursive readdirSync joins and stats every entry again, about four times slower at start-up.
 */
function newestSource(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return -Infinity;
  }
  let newest = -Infinity;
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    const at = entry.isDirectory() ? newestSource(path) : entry.isFile() ? statSync(path).mtimeMs : -Infinity;
    if (at > newest) newest = at;
  }
  return newest;
}

/** The compiled build to run ({ kind, path }), or undefined when none is current (run src/). */
function currentBuild(root) {
  const builds = BUILDS.map((build) => ({ kind: build.kind, path: join(root, build.entry), at: modifiedAt(join(root, build.entry)) }));
  if (builds.every((build) => build.at === undefined)) return undefined;
  const source = newestSource(join(root, "src"));
  const build = builds.find((b) => b.at !== undefined && b.at >= source);
  return build === undefined ? undefined : { kind: build.kind, path: build.path };
}

/** True when `root` holds a compiled build of the CLI not older than any file of `root`/src. */
function distIsCurrent(root) {
  return currentBuild(root) !== undefined;
}

module.exports = { currentBuild, distIsCurrent };
