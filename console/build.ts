// Builds the web console (`npm run build:console`; `npm ci` runs it through `prepare`): Vite writes console/dist,
// then build-info.json records the hash of the sources it was built from (serve refuses a build whose hash no
// longer matches the sources) and the size of every file, raw and gzipped, against the 400 kB gzip budget.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";
import { consoleSourceHash } from "../src/api/console-source-hash.ts";
import config from "./vite.config.ts";

/** The budget for everything the console can load, gzipped. */
export const GZIP_BUDGET_BYTES = 400 * 1024;

const consoleDir = import.meta.dirname;
const distDir = join(consoleDir, "dist");
const sourceHash = consoleSourceHash(consoleDir);
await build({ ...config, configFile: false });

const files: Record<string, { bytes: number; gzipBytes: number }> = {};
const walk = (folder: string): void => {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) walk(path);
    else {
      const body = readFileSync(path);
      files[relative(distDir, path).split(sep).join("/")] = { bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
    }
  }
};
walk(distDir);
const gzipTotal = Object.values(files).reduce((sum, f) => sum + f.gzipBytes, 0);
writeFileSync(join(distDir, "build-info.json"), JSON.stringify({ sourceHash, gzipTotal, files }, null, 2) + "\n");
const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;
process.stderr.write(`console: built ${Object.keys(files).length} files into ${relative(process.cwd(), distDir) || distDir}, ${kb(gzipTotal)} gzipped in all (budget ${kb(GZIP_BUDGET_BYTES)})\n`);
if (gzipTotal > GZIP_BUDGET_BYTES) process.exitCode = 1;
