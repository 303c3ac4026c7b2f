import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Json } from "../../src/util/json.ts";
import { seededRandom } from "../../src/util/random.ts";
import type { PathScope } from "../../src/query/types.ts";
import { compileJsonPath, compilePath, isPathSyntax, PathSyntaxError } from "../../src/query/jsonpath.ts";

const variables: Record<string, Json> = { order: { id: 7, lines: [{ sku: "a" }, { sku: "b" }] }, n: 3 };
const scope: PathScope = {
  context: { Execution: { Name: "exec-1", Input: { k: 1 } }, Map: { Item: { Index: 2 } } },
  variables: { get: (name) => variables[name] },
  random: seededRandom(1),
};

const store: Json = {
  store: {
    book: [
      { category: "reference", author: "Rees", title: "Sayings", price: 8.95 },
      { category: "fiction", author: "Waugh", title: "Sword", price: 12.99 },
      { category: "fiction", author: "Melville", title: "Moby Dick", isbn: "0-553", price: 8.99 },
      { category: "fiction", author: "Tolkien", title: "LOTR", isbn: "0-395", price: 22.99 },
    ],
    bicycle: { color: "red", price: 19.95 },
  },
  items: [1, 2, 3, 4, 5],
  "with space": { "a.b": 1, "it's": 2 },
  empty: [],
  nothing: null,
  codes: [{ code: 200 }, { code: "200" }, { code: "200.0" }, { code: true }],
  posts: [
    { id: 1, tags: ["a", "b"] },
    { id: 2, tags: ["b", "c"] },
    { id: 3, tags: [] },
  ],
};

// A document that is an array, as Parallel and Map results are.
const list: Json = [
  { bucket: "b1", key: "k1", size: 1, TargetLanguageCode: "es", TranslatedText: "hola" },
  { bucket: "b2", key: "k2", TargetLanguageCode: "fr", TranslatedText: "salut", bar: "z" },
];

// One row per behaviour: path, expected value (undefined: nothing found), definite, input (default: store).
const rows: Array<[string, Json | undefined, boolean, Json?]> = [
  ["$", store, true],
  ["$.store.bicycle.color", "red", true],
  ["$['store']['bicycle']['color']", "red", true],
  ['$["store"]["bicycle"]["color"]', "red", true],
  ["$.store.book[0].author", "Rees", true],
  ["$.store.book[-1].author", "Tolkien", true],
  ["$.store.book[9]", undefined, true],
  ["$.items[-9]", undefined, true],
  ["$.nothing", null, true],
  ["$.missing", undefined, true],
  ["$.missing.deeper", undefined, true],
  ["$.items.x", undefined, true],
  ["$['with space']['a.b']", 1, true],
  ["$['with space'][\"it's\"]", 2, true],
  ["$.items[*]", [1, 2, 3, 4, 5], false],
  ["$.store.bicycle.*", ["red", 19.95], false],
  ["$.store.bicycle[*]", ["red", 19.95], false],
  ["$.items[1:3]", [2, 3], false],
  ["$.items[:2]", [1, 2], false],
  ["$.items[-1:]", [5], false],
  ["$.items[-2:]", [4, 5], false],
  ["$.items[:-3]", [1, 2], false],
  ["$.items[3:99]", [4, 5], false],
  ["$.items[0,2]", [1, 3], false],
  ["$.items[0,9]", [1], false],
  ["$.store.bicycle['color','price']", { color: "red", price: 19.95 }, true],
  ["$.store.bicycle['color','nope']", { color: "red" }, true],
  ["$.store.book[0,1]['title']", ["Sayings", "Sword"], false],
  ["$..author", ["Rees", "Waugh", "Melville", "Tolkien"], false],
  ["$.store..price", [8.95, 12.99, 8.99, 22.99, 19.95], false],
  ["$..book[2].title", ["Moby Dick"], false],
  ["$..book[-1:].title", ["LOTR"], false],
  ["$.store.book[?(@.price < 10)].title", ["Sayings", "Moby Dick"], false],
  ["$.store.book[?(@.price <= 8.99)].title", ["Sayings", "Moby Dick"], false],
  ["$.store.book[?(@.price > 20)].title", ["LOTR"], false],
  ["$.store.book[?(@.price >= 22.99)].title", ["LOTR"], false],
  ["$.store.book[?(@.category == 'reference')].author", ["Rees"], false],
  ['$.store.book[?(@.category == "reference")].author', ["Rees"], false],
  ["$.store.book[?(@.category != 'fiction')].author", ["Rees"], false],
  ["$.store.book[?(@.isbn)].title", ["Moby Dick", "LOTR"], false],
  ["$.store.book[?(!@.isbn)].title", ["Sayings", "Sword"], false],
  ["$.store.book[?(@.price < 10 && @.category == 'fiction')].title", ["Moby Dick"], false],
  ["$.store.book[?(@.price < 9 || @.price > 20)].title", ["Sayings", "Moby Dick", "LOTR"], false],
  ["$.store.book[?((@.price < 9 || @.price > 20) && @.isbn)].title", ["Moby Dick", "LOTR"], false],
  ["$.store.book[?(@.price < $.store.bicycle.price)].title", ["Sayings", "Sword", "Moby Dick"], false],
  ["$.store.book[?(@['author'] == 'Waugh')].price", [12.99], false],
  ["$.store.bicycle[?(@.color == 'red')].price", [19.95], false],
  ["$.items.length()", 5, true],
  ["$.store.bicycle.length()", 2, true],
  // After an indefinite path Jayway applies the function to each match.
  ["$.store.book[*].length()", [4, 4, 5, 5], false],
  ["$.items.sum()", 15, true],
  ["$.items.max()", 5, true],
  ["$.items.min()", 1, true],
  ["$.items.avg()", 3, true],
  ["$.missing[*]", [], false],
  ["$.missing[1:]", [], false],
  ["$.empty[*]", [], false],
  ["$.store.book[?(@.price > 100)]", [], false],
  ["$$.Execution.Name", "exec-1", true],
  ["$$.Map.Item.Index", 2, true],
  ["$$", scope.context, true],
  ["$order.id", 7, true],
  ["$order.lines[1].sku", "b", true],
  ["$order.lines[*].sku", ["a", "b"], false],
  ["$n", 3, true],
  ["$unknown", undefined, true],
  // A dot before a bracket (Jayway reads `.[` as `[`), and a name right after a bracket.
  ["$.[0]", { bucket: "b1", key: "k1", size: 1, TargetLanguageCode: "es", TranslatedText: "hola" }, true, list],
  ["$.store.book.[1].author", "Waugh", true],
  ["$.store.bicycle.['color']", "red", true],
  ["$['store']['bicycle']color", "red", true],
  // A union of names ending an indefinite path: one merged object per match.
  ["$.[*].['bucket', 'key']", [{ bucket: "b1", key: "k1" }, { bucket: "b2", key: "k2" }], false, list],
  ["$.store.book[0:2]['author','price']", [{ author: "Rees", price: 8.95 }, { author: "Waugh", price: 12.99 }], false],
  // Script indexes: the array's length plus or minus numbers.
  ["$.items[(@.length-1)]", 5, true],
  ["$.items[(@.length - 2)]", 4, true],
  ["$.items[(@.length-3+1)]", 4, true],
  ["$.items[(@.size()-1)]", 5, true],
  ["$.items[(@.length-6)]", undefined, true],
  ["$[(@.length-1)].bar", "z", true, list],
  ["$..book[(@.length-1)].title", ["LOTR"], false],
  // An unquoted word in a filter is a string.
  ["$[?(@.TargetLanguageCode==es)].TranslatedText", ["hola"], false, list],
  ["$.store.book[?(@.category==fiction && @.price < 10)].title", ["Moby Dick"], false],
  // == compares a number and a string as Jayway does; === also wants the same type; 2e2 is the text "2E+2".
  ["$.codes[?(@.code == 200)].code", [200, "200"], false],
  ["$.codes[?(@.code == '200')].code", [200, "200"], false],
  ["$.codes[?(@.code === 200)].code", [200], false],
  ["$.codes[?(@.code !== 200)].code", ["200", "200.0", true], false],
  ["$.codes[?(@.code == 2e2)].code", [200], false],
  ["$.codes[?(@.code < 3)].code", ["200", "200.0"], false],
  // =~ must match the whole text; /i ignores case.
  ["$.store.book[?(@.author =~ /.*re.*/i)].author", ["Rees"], false],
  ["$.store.book[?(@.author =~ /Wau/)].author", [], false],
  ["$.store.book[?(@.author =~ /T.*/)].title", ["LOTR"], false],
  ["$.store.book[?(@.author =~ /(?i)rees/)].author", ["Rees"], false],
  // in, nin, subsetof, anyof, noneof, contains, size, empty.
  ["$.store.book[?(@.author in ['Rees', 'Waugh'])].title", ["Sayings", "Sword"], false],
  ["$.store.book[?(@.price IN [8.95, 8.99])].title", ["Sayings", "Moby Dick"], false],
  ["$.store.book[?(@.category nin ['fiction'])].title", ["Sayings"], false],
  ["$.posts[?(@.tags subsetof ['a', 'b'])].id", [1, 3], false],
  ["$.posts[?(@.tags anyof ['c', 'd'])].id", [2], false],
  ["$.posts[?(@.tags noneof ['a'])].id", [2, 3], false],
  ["$.posts[?(@.tags contains 'b')].id", [1, 2], false],
  ["$.posts[?(@.tags size 2)].id", [1, 2], false],
  ["$.store.book[?(@.title size 5)].title", ["Sword"], false],
  ["$.posts[?(@.tags empty true)].id", [3], false],
  ["$.posts[?(@.tags == ['b', 'c'])].id", [2], false],
  // !, parentheses; a `!` right before a compared path is dropped, as in Jayway.
  ["$.store.book[?(!(@.price < 10))].title", ["Sword", "LOTR"], false],
  ["$.store.book[?(!@.isbn == '0-553')].title", ["Moby Dick"], false],
  // An indefinite path exists unless a property it names is missing (REQUIRE_PROPERTIES).
  ["$.store.book[?(@.isbn[*])].title", ["Moby Dick", "LOTR"], false],
  ["$.posts[?(@.tags[*])].id", [1, 2, 3], false],
  // Functions ending a path.
  ["$.items.size()", 5, true],
  ["$.items.first()", 1, true],
  ["$.items.last()", 5, true],
  ["$.store.bicycle.keys()", ["color", "price"], true],
  ["$.items.stddev()", Math.sqrt(2), true],
  ["$.posts[*].tags.length()", [2, 2, 0], false],
  ["$.nothing.length()", null, true],
  ["$.empty.first()", undefined, true],
  ["$.store.bicycle.sum()", undefined, true],
  // After a leading deep scan the function applies once, to everything found.
  ["$..book.length()", 4, true],
  ["$..price.max()", 22.99, true],
];

describe("compilePath evaluates as Jayway JsonPath does", () => {
  for (const [path, expected, definite, input = store] of rows) {
    test(path, () => {
      const compiled = compilePath(path);
      assert.equal(compiled.source, path);
      assert.equal(compiled.definite, definite);
      assert.deepEqual(compiled.evaluate(input, scope), expected);
    });
  }
});

test("evaluation does not look at inherited properties", () => {
  assert.equal(compilePath("$.constructor").evaluate({}, scope), undefined);
  assert.equal(compilePath("$.toString").evaluate({ a: 1 }, scope), undefined);
});

test("a quoted name keeps its backslashes, as AWS does", () => {
  const key = 'Test\\""Name"';
  assert.equal(compilePath(`$['Test\\""Name"']`).evaluate({ [key]: "v" }, scope), "v");
});

describe("invalid paths throw PathSyntaxError and isPathSyntax is false", () => {
  const invalid = [
    "", "x", "$.", "$..", "$...a", "$.a.", "$[", "$['a'", "$['a]", "$[a]", "$.a b", "$.a.nope()", "$.a[1", "$[?(@.a == )]",
    "$]", "$.length().a", "$[:]", `$['a',"b"]`, "$[(@.foo-1)]", "$[(@.length-x)]", "$[?(@.a in['x'])]", "$[?(@.a <> 1)]",
    "$[?(@.a ==! 1)]", "$[?(@.a =~ /x)]", "$[?(@.a =~ /(/)]", "$[?(@.a == 'x' 'y')]", "$[?(5)]", "$[?(@.a == [1)]",
  ];
  for (const path of invalid) {
    test(JSON.stringify(path), () => {
      assert.throws(() => compilePath(path), PathSyntaxError);
      assert.equal(isPathSyntax(path), false);
    });
  }
  test("valid paths", () => {
    for (const [path] of rows) assert.equal(isPathSyntax(path), true, path);
  });
});

describe("describeMiss gives Jayway's texts", () => {
  const misses: Array<[string, Json, string]> = [
    ["$.NoSuchOutputPath", { "int-literal": 0 }, "No results for path: $['NoSuchOutputPath']"],
    ["$.no.such.result.path", {}, "Missing property in path $['no']"],
    ["$.a.b.c", { a: {} }, "Missing property in path $['a']['b']"],
    ["$.a.b", { a: {} }, "No results for path: $['a']['b']"],
    ["$.a[3]", { a: [1] }, "No results for path: $['a'][3]"],
    ["$.a[3].b", { a: [1] }, "No results for path: $['a'][3]['b']"],
  ];
  for (const [path, input, text] of misses) {
    test(`${path} on ${JSON.stringify(input)}`, () => {
      assert.equal(compileJsonPath(path).describeMiss(input, scope), text);
    });
  }
});

// ----- property tests -----

const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k));
const anyKey = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !k.includes("'") && !k.includes("\\"));

type Step = { name: string } | { index: number; length: number };

/** Builds a value with `leaf` placed at the end of `steps`, filling arrays with other values. */
function place(steps: Step[], leaf: Json): Json {
  let value = leaf;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    if ("name" in step) value = { other: 0, [step.name]: value };
    else {
      const array: Json[] = Array.from({ length: step.length }, (_, j) => j);
      array[step.index] = value;
      value = array;
    }
  }
  return value;
}

const steps = fc.array(
  fc.oneof(
    key.map((name): Step => ({ name })),
    fc.integer({ min: 1, max: 5 }).chain((length) => fc.integer({ min: 0, max: length - 1 }).map((index): Step => ({ index, length }))),
  ),
  { maxLength: 6 },
);

function dotted(path: Step[]): string {
  return "$" + path.map((s) => ("name" in s ? `.${s.name}` : `[${s.index}]`)).join("");
}

function bracketed(path: Step[], quote: string): string {
  return "$" + path.map((s) => ("name" in s ? `[${quote}${s.name}${quote}]` : `[${s.index}]`)).join("");
}

test("property: a definite path finds the value placed at it, in dot and bracket forms", () => {
  fc.assert(
    fc.property(steps, fc.jsonValue(), (path, leaf) => {
      const leafJson = JSON.parse(JSON.stringify(leaf)) as Json;
      const doc = place(path, leafJson);
      for (const text of [dotted(path), bracketed(path, "'"), bracketed(path, '"')]) {
        const compiled = compilePath(text);
        assert.equal(compiled.definite, true);
        assert.deepEqual(compiled.evaluate(doc, scope), leafJson);
      }
    }),
  );
});

test("property: negative indexes count from the end", () => {
  fc.assert(
    fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 10 }), fc.nat(), (array, n) => {
      const i = n % array.length;
      assert.equal(compilePath(`$[${i - array.length}]`).evaluate(array, scope), array[i]);
    }),
  );
});

test("property: printing then parsing a path gives the same path", () => {
  const selector = fc.oneof(
    anyKey.map((k) => `['${k}']`),
    key.map((k) => `.${k}`),
    fc.integer({ min: -5, max: 5 }).map((i) => `[${i}]`),
    fc.constantFrom("[*]", ".*", "[1:3]", "[:2]", "[-1:]", "[0,1]", "['a','b']", "..a", "..[0]", "[?(@.x > 1)]", ".[0]", "[(@.length-1)]", "[?(@.x in [1, 'a'])]"),
  );
  fc.assert(
    fc.property(fc.constantFrom("$", "$$", "$v"), fc.array(selector, { maxLength: 6 }), (root, parts) => {
      const text = root + parts.join("");
      const first = compileJsonPath(text);
      const printed = first.canonical();
      const second = compileJsonPath(printed);
      assert.equal(second.canonical(), printed);
      assert.deepEqual(second.ast, first.ast);
    }),
  );
});

test("property: [*] over an array returns the array, and slices agree with Array.prototype.slice", () => {
  fc.assert(
    fc.property(fc.array(fc.integer()), fc.integer({ min: -6, max: 6 }), fc.integer({ min: -6, max: 6 }), (array, a, b) => {
      assert.deepEqual(compilePath("$[*]").evaluate(array, scope), array);
      assert.deepEqual(compilePath(`$[${a}:${b}]`).evaluate(array, scope), array.slice(Math.max(a < 0 ? array.length + a : a, 0), b));
    }),
  );
});

// Blanks in paths as Jayway JsonPath (AWS's path library) treats them: PathCompiler trims blanks (U+0020) around
// the whole path (CharacterIndex.trim()), allows them inside brackets and filters, and refuses them in a
// dot-notation name ("Use bracket notion ['my prop'] ...") and between `$` and the next token. AWS runs
// `"$$.Execution.Name "` (a sample published in 2021; issue 14).
describe("blanks in paths, as Jayway treats them", () => {
  const input: Json = { a: { b: 1 }, arr: [10, 20, 30] };
  const accepted: [string, Json][] = [
    ["$$.Execution.Name ", "exec-1"], [" $.a.b", 1], ["  $.a.b  ", 1], ["$ ", input], ["$.arr[ 1 ]", 20], ["$.arr[ 0 , 2 ]", [10, 30]],
    ["$[ 'a' ]", { b: 1 }], ["$.arr[ * ]", [10, 20, 30]], ["$.arr[ ?(@ > 15) ]", [20, 30]], ["$.arr.length() ", 3],
  ];
  for (const [path, expected] of accepted) {
    test(`${JSON.stringify(path)} is accepted`, () => assert.deepEqual(compilePath(path).evaluate(input, scope), expected));
  }
  for (const path of ["$ .a", "$. a", "$.a .b", "$.a. b"]) {
    test(`${JSON.stringify(path)} is refused`, () => assert.equal(isPathSyntax(path), false));
  }
});
