// The fingerprint of the web console's sources (console/ without its build output): the build records it in
// console/dist/build-info.json, and `serve` in a checkout compares it with the sources so that it never serves a
// build older than the code beside it.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Folders of console/ that are not sources: the build output, and what tests write. */
const NOT_SOURCES = new Set(["dist", "node_modules", "screenshots"]);

function listFiles(root: string, folder: string, into: string[]): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (folder === root && NOT_SOURCES.has(entry.name)) continue;
      listFiles(root, path, into);
    } else if (entry.isFile()) into.push(path);
  }
}

/** SHA-256 over every source file's relative path and bytes, in a stable order. */
export function consoleSourceHash(consoleDir: string): string {
  const files: string[] = [];
  listFiles(consoleDir, consoleDir, files);
  const hash = createHash("sha256");
  for (const path of files.map((file) => relative(consoleDir, file).split(sep).join("/")).sort()) {
    hash.update(path).update("\0").update(readFileSync(join(consoleDir, path))).update("\0");
  }
  return hash.digest("hex");
}
