// Where a function's code lives: `<functionsDir>/NAME.{mjs,js,cjs,ts,mts}` or `<functionsDir>/NAME/index.*`.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const EXTENSIONS = [".mjs", ".js", ".cjs", ".ts", ".mts"];

/** The handler module of a function, or undefined when the folder has none. */
export function locateFunction(functionsDir: string, name: string): string | undefined {
  const root = resolve(functionsDir);
  for (const ext of EXTENSIONS) {
    const file = join(root, name + ext);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  for (const ext of EXTENSIONS) {
    const file = join(root, name, "index" + ext);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}
