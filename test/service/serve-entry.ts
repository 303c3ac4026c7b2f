// `stepwright serve` for the tests: the same function the CLI dispatches `serve` to.
import { serveCommand } from "../../src/cli/serve.ts";

process.exit(await serveCommand(process.argv.slice(2)));
