// util/lazy-package.ts loads packages through the host's #package-loader (package.json "imports"): Node.js
// requires them; another host gets a clear refusal naming the package, unless it provided it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPackage as refuse } from "../../host/no-package-loader.js";
import { loadPackage } from "#package-loader";
import { lazyPackage, providePackage } from "../../src/util/lazy-package.ts";

test("on Node.js the loader requires the package", () => {
  const yaml = loadPackage("yaml") as { parse: (text: string) => unknown };
  assert.deepEqual(yaml.parse("a: 1"), { a: 1 });
});

test("a host that is not Node.js is told which package to provide", () => {
  assert.throws(() => refuse("jsonata"), { message: "The package 'jsonata' cannot be loaded on this host: give it with providePackage('jsonata', module) first." });
});

test("a provided package is used instead of loading one", () => {
  const stand = { parse: () => "provided" };
  providePackage("croner", stand);
  assert.equal(lazyPackage<typeof stand>("croner"), stand);
});
