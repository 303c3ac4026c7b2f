// A node:test reporter that sums, per test file, the durations of its top-level tests and prints the files
// slowest first (what a file spends outside its tests, starting its process and loading modules, is not in it).
// Issue 9 asks that `npm test` gets faster; this shows where its time goes. Beside the spec reporter:
//   node --test --test-reporter=spec --test-reporter-destination=stdout \
//     --test-reporter=./scripts/test-file-times.ts --test-reporter-destination=times.txt "test/**/*.test.ts"
interface TestEvent {
  type: string;
  data?: { file?: string; nesting?: number; details?: { duration_ms?: number } };
}

export default async function* fileTimes(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const files = new Map<string, number>();
  for await (const event of source) {
    const file = event.data?.file;
    if (file === undefined || (event.type !== "test:pass" && event.type !== "test:fail") || event.data?.nesting !== 0) continue;
    files.set(file, (files.get(file) ?? 0) + (event.data.details?.duration_ms ?? 0));
  }
  const rows = [...files].sort(([, a], [, b]) => b - a);
  const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
  yield `top-level tests: ${(total / 1000).toFixed(1)} s in ${files.size} files\n`;
  for (const [file, ms] of rows) yield `${(ms / 1000).toFixed(1).padStart(7)} s  ${file.replace(`${process.cwd()}/`, "")}\n`;
}
