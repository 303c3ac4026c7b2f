// Counts type assertions (`x as T`, `<T>x`; not `as const`) and non-null assertions (`x!`) in src/, per file:
// the measure issue 9 asks to bring down. Usage: node scripts/count-assertions.ts [--files]
import ts from "typescript";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

let casts = 0;
let nonNull = 0;
const perFile: [string, number, number][] = [];
for (const path of files("src")) {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  let c = 0;
  let n = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
      const isConst = ts.isTypeReferenceNode(node.type) && node.type.typeName.getText(source) === "const";
      if (!isConst) c++;
    } else if (ts.isNonNullExpression(node)) {
      n++;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  casts += c;
  nonNull += n;
  if (c + n > 0) perFile.push([path, c, n]);
}
if (process.argv.includes("--files")) {
  for (const [path, c, n] of perFile.sort((a, b) => b[1] + b[2] - (a[1] + a[2]))) console.log(`${c}\t${n}\t${path}`);
}
console.log(`as casts: ${casts}, non-null assertions: ${nonNull}`);
