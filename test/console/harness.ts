// A real `stepwright serve` (port 0, fresh data folder), an SDK client for it, and a headless Chromium, for the
// console's end-to-end tests; screenshots go to console/screenshots/ (not committed).
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { Page } from "playwright-core";
import { CONSOLE_DIR } from "../../src/api/console-assets.ts";
import { sdkClient } from "../api/harness.ts";
import { startServe } from "../service/serve-process.ts";
import type { ServeProcess } from "../service/serve-process.ts";
import { launchBrowser } from "./browser.ts";
import type { TestBrowser } from "./browser.ts";
import { ensureConsoleBuild } from "./build.ts";

export const SCREENSHOTS = join(CONSOLE_DIR, "screenshots");

export interface ConsoleHarness {
  serve: ServeProcess;
  client: SFNClient;
  browser: TestBrowser;
  /** A new tab at `path` (a console route such as "#/activities") of `base` (the serve endpoint by default). */
  open(path: string, base?: string): Promise<Page>;
  /** Errors the pages threw (a test fails on any). */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function startConsoleHarness(): Promise<ConsoleHarness> {
  ensureConsoleBuild();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const serve = await startServe(["--port", "0", "--data", mkdtempSync(join(tmpdir(), "sw-console-e2e-"))]);
  const client = sdkClient(serve.endpoint);
  const browser = await launchBrowser();
  const pageErrors: string[] = [];
  return {
    serve, client, browser, pageErrors,
    async open(path, base = serve.endpoint) {
      const page = await browser.context.newPage();
      // Machines here are shared and often loaded: generous limits, but every wait is for the page's state.
      page.setDefaultTimeout(60_000);
      page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
      await page.goto(`${base}/${path}`);
      return page;
    },
    async close() {
      await browser.close();
      client.destroy();
      serve.child.kill("SIGTERM");
      await serve.exited;
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
