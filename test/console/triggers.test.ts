// The console's Triggers page against a real `serve` with a schedule and a webhook trigger in its configuration:
// each row shows the source, the machine, the last and next fire and the counts (from ListTriggers).
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateStateMachineCommand } from "@aws-sdk/client-sfn";
import { ROLE, sdkClient } from "../api/harness.ts";
import { startServe } from "../service/serve-process.ts";
import type { ServeProcess } from "../service/serve-process.ts";
import { browserMissing, launchBrowser } from "./browser.ts";
import type { TestBrowser } from "./browser.ts";
import { ensureConsoleBuild } from "./build.ts";
import { screenshot } from "./harness.ts";

const skip = browserMissing();

describe("console: triggers", { ...(skip !== undefined ? { skip } : {}) }, () => {
  let serve: ServeProcess;
  let browser: TestBrowser;

  before(async () => {
    ensureConsoleBuild();
    const dir = mkdtempSync(join(tmpdir(), "sw-console-triggers-"));
    const config = join(dir, "config.json");
    writeFileSync(config, JSON.stringify({
      triggers: [
        // A fire far ahead: the page shows it as next, and none happens while the test runs.
        { name: "new-year", stateMachine: "report", source: { type: "schedule", expression: "at(2099-01-01T00:00:00)", timezone: "Europe/Paris" } },
        { name: "hook", stateMachine: "report", source: { type: "webhook", auth: { type: "header", secret: "abc" } } },
      ],
    }));
    serve = await startServe(["--port", "0", "--data", join(dir, "data"), "--config", config]);
    const client = sdkClient(serve.endpoint);
    await client.send(new CreateStateMachineCommand({ name: "report", roleArn: ROLE, definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }) }));
    client.destroy();
    const answer = await fetch(`${serve.endpoint}/webhooks/hook`, { method: "POST", body: '{"a":1}', headers: { "x-webhook-secret": "abc" } });
    assert.equal(answer.status, 200);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    serve?.child.kill("SIGTERM");
    await serve?.exited;
  });

  it("lists the triggers with their last and next fire", async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(60_000);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${serve.endpoint}/#/triggers`);
    const rows = page.getByTestId("trigger-row");
    await rows.nth(1).waitFor();
    const schedule = await rows.nth(0).innerText();
    assert.match(schedule, /new-year/);
    assert.match(schedule, /Schedule/);
    assert.match(schedule, /at\(2099-01-01T00:00:00\) Europe\/Paris/);
    assert.match(schedule, /2098|2099/);
    assert.match(schedule, /never/);
    assert.doesNotMatch(schedule, /none/);
    const hook = await rows.nth(1).innerText();
    assert.match(hook, /Webhook/);
    assert.match(hook, /POST \/webhooks\/hook/);
    assert.match(hook, /on each event/);
    assert.doesNotMatch(hook, /never/);
    assert.equal(await rows.nth(1).locator("td.num").first().innerText(), "1");
    assert.equal(await page.getByRole("link", { name: "report" }).first().getAttribute("href"), "#/state-machines/arn%3Aaws%3Astates%3Aus-east-1%3A123456789012%3AstateMachine%3Areport");
    await screenshot(page, "triggers");
    assert.deepEqual(errors, []);
  });
});
