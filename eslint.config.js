// Type-aware lint (typescript-eslint), run by `npm run lint` and in `npm test`. A small set of rules that catch
// what the compiler does not: promises nobody awaits (or passed where nothing awaits them, or awaited when they
// are not promises), switches that miss a member of a union (a `default:` does not count: add the case), casts and
// `!` that change nothing, and `any`. The project service types each file with its own tsconfig.json (the root
// one for src/, test/, bench/ and scripts/; console/tsconfig.json for the web console).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "console/dist/"] },
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      "@typescript-eslint/no-floating-promises": ["error", {
        allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["test", "it", "describe", "suite", "before", "after", "beforeEach", "afterEach", "skip", "todo", "only"] }],
      }],
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
);
