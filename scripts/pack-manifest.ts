// `npm pack` / `npm publish` without the `prepare` script in the published package.json: `prepare` builds a
// checkout on `npm ci` (tsc and the console need the devDependencies), but in an installed package it has
// nothing to build with. npm runs `prepack` before it reads the manifest it packs and `postpack` after, so
// `prepack` builds and removes `prepare` from package.json, and `postpack` puts the file back as it was
// (the approach of pinst for `postinstall`; checked by test/cli/package.test.ts).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

const MANIFEST = "package.json";
const SAVED = "package.json.unpacked";

const [step] = process.argv.slice(2);
if (step === "strip") {
  const text = readFileSync(MANIFEST, "utf8");
  writeFileSync(SAVED, text);
  const manifest = JSON.parse(text) as { scripts?: Record<string, string> };
  delete manifest.scripts?.["prepare"];
  writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2) + "\n");
} else if (step === "restore") {
  if (existsSync(SAVED)) renameSync(SAVED, MANIFEST);
} else {
  process.stderr.write("usage: node scripts/pack-manifest.ts strip|restore\n");
  process.exit(2);
}
