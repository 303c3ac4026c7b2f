// The web console end to end: a real `serve`, machines and executions made through the SDK, and the console in
// headless Chromium. Every wait is for something on the page (or the API), never for a duration; executions
// wait on activities that the test completes, so "running" is seen for sure before "succeeded".
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CreateActivityCommand, CreateStateMachineCommand, DescribeExecutionCommand, GetActivityTaskCommand, SendTaskFailureCommand,
  SendTaskSuccessCommand, SFNClient, StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { Page } from "playwright-core";
import { ROLE, eventually } from "../api/harness.ts";
import { browserMissing } from "./browser.ts";
import { screenshot, startConsoleHarness } from "./harness.ts";
import type { ConsoleHarness } from "./harness.ts";
import { startServe } from "../service/serve-process.ts";

const skip = browserMissing();

const NESTED = {
  Comment: "An order: every kind of state, nested ones included",
  StartAt: "Validate",
  States: {
    Validate: { Type: "Pass", Next: "Route" },
    Route: {
      Type: "Choice",
      Choices: [
        { Variable: "$.n", NumericGreaterThan: 5, Next: "Fan" },
        { And: [{ Variable: "$.kind", StringEquals: "gift" }, { Variable: "$.note", IsPresent: true }], Next: "Wrap" },
      ],
      Default: "Small",
    },
    Wrap: { Type: "Pass", Next: "Fan" },
    Small: { Type: "Pass", Result: { small: true }, ResultPath: "$.size", Next: "Fan" },
    Fan: {
      Type: "Parallel",
      Branches: [
        { StartAt: "Reserve", States: { Reserve: { Type: "Pass", Next: "Confirm" }, Confirm: { Type: "Pass", End: true } } },
        {
          StartAt: "EachItem",
          States: {
            EachItem: {
              Type: "Map", ItemsPath: "$.items", End: true,
              ItemProcessor: { StartAt: "Price", States: { Price: { Type: "Pass", Next: "Tax" }, Tax: { Type: "Pass", End: true } } },
            },
          },
        },
      ],
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }],
      Next: "Done",
    },
    Failed: { Type: "Fail", Error: "Order.Failed", Cause: "A branch failed" },
    Done: { Type: "Succeed" },
  },
};
const NESTED_STATES = ["Validate", "Route", "Wrap", "Small", "Fan", "Reserve", "Confirm", "EachItem", "Price", "Tax", "Failed", "Done"];

function activityMachine(activityArn: string, state: string): string {
  return JSON.stringify({
    StartAt: "Prepare",
    States: {
      Prepare: { Type: "Pass", Result: { order: 42 }, Next: state },
      [state]: { Type: "Task", Resource: activityArn, TimeoutSeconds: 3600, Next: "Done" },
      Done: { Type: "Succeed" },
    },
  });
}

describe("console in a browser", { skip }, () => {
  let h: ConsoleHarness;
  before(async () => {
    h = await startConsoleHarness();
  });
  after(async () => {
    await h?.close();
  });

  async function machine(name: string, definition: string | object): Promise<string> {
    const answer = await h.client.send(new CreateStateMachineCommand({
      name, roleArn: ROLE, definition: typeof definition === "string" ? definition : JSON.stringify(definition),
    }));
    return answer.stateMachineArn!;
  }
  async function activity(name: string): Promise<string> {
    return (await h.client.send(new CreateActivityCommand({ name }))).activityArn!;
  }
  async function start(stateMachineArn: string, input: object = {}, name?: string): Promise<string> {
    const answer = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), ...(name ? { name } : {}) }));
    return answer.executionArn!;
  }
  async function status(executionArn: string): Promise<string | undefined> {
    return (await h.client.send(new DescribeExecutionCommand({ executionArn }))).status;
  }
  const executionPage = (arn: string, tab?: string): string => `#/executions/${encodeURIComponent(arn)}${tab ? `/${tab}` : ""}`;
  const badge = (page: Page, status: string) => page.locator(`h1 .badge[data-status="${status}"]`);

  it("lists the state machines, with a search by name", async () => {
    await machine("orders-flow", NESTED);
    await machine("billing-flow", { StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    const page = await h.open("#/state-machines");
    await page.getByRole("link", { name: "orders-flow" }).waitFor();
    await page.getByRole("link", { name: "billing-flow" }).waitFor();
    await page.getByTestId("machine-row").filter({ hasText: "orders-flow" }).getByText("Standard").waitFor();
    await screenshot(page, "state-machines");
    await page.getByLabel("Search").fill("bill");
    await page.getByRole("link", { name: "orders-flow" }).waitFor({ state: "detached" });
    assert.equal(await page.getByTestId("machine-row").count(), 1);
    await page.close();
  });

  it("draws one node per state, nested ones included, and starts an execution with validated input", async () => {
    const arn = await machine("nested-order", NESTED);
    const page = await h.open(`#/state-machines/${encodeURIComponent(arn)}/definition`);
    await page.locator("[data-state]").nth(NESTED_STATES.length - 1).waitFor();
    const drawn = await page.locator("[data-state]").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-state")));
    assert.deepEqual(drawn.sort(), [...NESTED_STATES].sort());
    // Choice conditions on their edges; Default and Catch edges styled apart.
    await page.locator(".edge-label", { hasText: "1. $.n > 5" }).waitFor();
    await page.locator(".edge-label-default", { hasText: "Default" }).waitFor();
    await page.locator(".edge-label-catch", { hasText: "Catch States.ALL" }).waitFor();
    await page.getByRole("region", { name: "Definition (JSON)" }).getByText('"StartAt": "Validate"').first().waitFor();
    await screenshot(page, "state-machine-definition");

    await page.getByRole("button", { name: "Start execution" }).click();
    const dialog = page.getByRole("dialog", { name: "Start execution" });
    await dialog.getByLabel("Name").fill("from-the-console");
    const input = dialog.getByLabel("Input (JSON)");
    await input.fill('{"n": 7, "items": [1, 2,]}');
    await dialog.getByText(/Not valid JSON: .* at line 1, column/).waitFor();
    assert.equal(await dialog.getByRole("button", { name: "Start execution" }).isDisabled(), true);
    await input.fill('{"n": 7, "items": [1, 2]}');
    await dialog.getByText("Valid JSON").waitFor();
    await screenshot(page, "start-execution");
    await dialog.getByRole("button", { name: "Start execution" }).click();
    await badge(page, "SUCCEEDED").waitFor();
    assert.match(page.url(), /from-the-console/);
    await page.locator('[data-state="Tax"][data-status="succeeded"]').waitFor();
    await page.locator('[data-state="Wrap"][data-status]').and(page.locator(':not([data-status="succeeded"])')).waitFor();
    const executionArn = decodeURIComponent(/#\/executions\/([^/]+)/.exec(page.url())![1]!);
    const described = await h.client.send(new DescribeExecutionCommand({ executionArn }));
    assert.deepEqual(JSON.parse(described.input!), { n: 7, items: [1, 2] });
    await page.locator('[data-state="Price"]').click();
    await page.getByTestId("step-details").getByRole("heading", { name: "Price" }).waitFor();
    await page.getByTestId("step-details").getByRole("region", { name: "After ResultPath" }).waitFor();
    await screenshot(page, "execution-nested");
    // A Map's items are reachable from the Map state.
    await page.locator('[data-state="EachItem"]').click();
    const details = page.getByTestId("step-details");
    await details.getByRole("heading", { name: "Iterations (2)" }).waitFor();
    await details.getByRole("listitem").filter({ hasText: "#1" }).click();
    await page.getByText("Showing Map item EachItem #1").waitFor();
    await page.close();
  });

  it("opens a 500-state machine legibly at its start, laid out off the page's thread", async () => {
    const states: Record<string, object> = {};
    const name = (i: number): string => `Step${String(i).padStart(3, "0")}`;
    for (let i = 0; i < 500; i++) {
      const next = i < 499 ? { Next: name(i + 1) } : { End: true };
      states[name(i)] = i % 10 === 0 && i < 490
        ? { Type: "Choice", Choices: [{ Variable: "$.x", NumericEquals: i, Next: name(i + 1) }], Default: name(i + 2) }
        : { Type: "Pass", ...next };
    }
    const arn = await machine("five-hundred", { StartAt: name(0), States: states });
    const page = await h.open(`#/state-machines/${encodeURIComponent(arn)}/definition`);
    const first = page.locator('[data-state="Step000"]');
    await first.waitFor();
    assert.ok(await first.isVisible());
    const style = (await page.locator(".react-flow__viewport").getAttribute("style")) ?? "";
    const zoom = Number(/scale\(([\d.]+)\)/.exec(style)?.[1]);
    assert.ok(zoom >= 0.45, `zoom ${zoom}`);
    // Zoom out and the rest is there (only what is in view is in the page).
    await page.getByRole("button", { name: "Fit View" }).click();
    await page.locator('[data-state="Step499"]').waitFor();
    await page.close();
  });

  it("shows an execution turning from running to succeeded without a reload", async () => {
    const activityArn = await activity("approve");
    const arn = await start(await machine("approvals", activityMachine(activityArn, "Approve")), { customer: "ada" }, "approve-1");
    const page = await h.open(executionPage(arn));
    await badge(page, "RUNNING").waitFor();
    await page.locator('[data-state="Approve"][data-status="running"]').waitFor();
    await page.locator('[data-state="Prepare"][data-status="succeeded"]').waitFor();
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
    await screenshot(page, "execution-running");

    const activities = await h.open("#/activities");
    await activities.getByTestId("activity-row").filter({ hasText: "approve" }).getByText("waiting since").waitFor();
    await screenshot(activities, "activities");
    await activities.close();

    const task = await h.client.send(new GetActivityTaskCommand({ activityArn, workerName: "test-worker" }));
    await h.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken!, output: JSON.stringify({ approved: true }) }));
    await badge(page, "SUCCEEDED").waitFor();
    await page.locator('[data-state="Approve"][data-status="succeeded"]').waitFor();
    assert.equal(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument), true, "the page was not reloaded");
    await page.locator('[data-state="Approve"]').click();
    const details = page.getByTestId("step-details");
    await details.getByRole("region", { name: "Task result" }).getByText('"approved": true').waitFor();
    await details.getByRole("region", { name: "After ResultSelector" }).waitFor();
    await details.getByRole("region", { name: "After ResultPath" }).waitFor();
    await screenshot(page, "execution-succeeded");
    await page.getByRole("tab", { name: "Timeline" }).click();
    await page.getByRole("region", { name: "Timeline of states" }).getByRole("button", { name: "Approve" }).waitFor();
    await screenshot(page, "execution-timeline");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.getByRole("tab", { name: "Graph" }).click();
    await page.locator('[data-state="Approve"]').waitFor();
    await screenshot(page, "execution-dark");
    await page.close();
  });

  it("shows a failed state's error and cause, and redrives the execution from the page", async () => {
    const activityArn = await activity("charge");
    const arn = await start(await machine("payments", activityMachine(activityArn, "Charge")), { amount: 12 }, "charge-1");
    const first = await h.client.send(new GetActivityTaskCommand({ activityArn, workerName: "test-worker" }));
    await h.client.send(new SendTaskFailureCommand({ taskToken: first.taskToken!, error: "Card.Declined", cause: "The card was declined: insufficient funds" }));
    await eventually(async () => ((await status(arn)) === "FAILED" ? true : undefined), 30_000, "the execution to fail");

    const page = await h.open(executionPage(arn));
    await badge(page, "FAILED").waitFor();
    await page.locator('[data-state="Charge"][data-status="failed"]').click();
    const details = page.getByTestId("step-details");
    await details.getByTestId("step-error").filter({ hasText: "Card.Declined" }).waitFor();
    await details.getByTestId("step-cause").filter({ hasText: "The card was declined: insufficient funds" }).waitFor();
    await screenshot(page, "execution-failed");

    await page.getByRole("button", { name: "Redrive" }).click();
    await page.getByRole("dialog", { name: "Redrive this execution?" }).getByRole("button", { name: "Redrive" }).click();
    await badge(page, "RUNNING").waitFor();
    await page.locator('[data-state="Charge"][data-status="running"]').waitFor();
    const second = await h.client.send(new GetActivityTaskCommand({ activityArn, workerName: "test-worker" }));
    await h.client.send(new SendTaskSuccessCommand({ taskToken: second.taskToken!, output: "{}" }));
    await badge(page, "SUCCEEDED").waitFor();
    const described = await h.client.send(new DescribeExecutionCommand({ executionArn: arn }));
    assert.equal(described.redriveCount, 1);
    await page.close();
  });

  it("stops a running execution from the page", async () => {
    const activityArn = await activity("hold");
    const arn = await start(await machine("holds", activityMachine(activityArn, "Hold")), {}, "hold-1");
    const page = await h.open(executionPage(arn));
    await page.locator('[data-state="Hold"][data-status="running"]').waitFor();
    await page.getByRole("button", { name: "Stop execution" }).click();
    const dialog = page.getByRole("dialog", { name: "Stop this execution?" });
    await dialog.getByLabel("Error").fill("Manual.Stop");
    await dialog.getByRole("button", { name: "Stop execution" }).click();
    await badge(page, "ABORTED").waitFor();
    await page.locator('[data-state="Hold"][data-status="aborted"]').waitFor();
    const described = await h.client.send(new DescribeExecutionCommand({ executionArn: arn }));
    assert.equal(described.status, "ABORTED");
    assert.equal(described.error, "Manual.Stop");
    await page.close();
  });

  it("scrolls a 25,000-event history, rendering only the rows in view", async () => {
    // 25,000 events, AWS's most for one history: 8 around the Map, and 4 per item.
    const items = Array.from({ length: 6248 }, (_, i) => i);
    const arn = await start(await machine("big-history", {
      StartAt: "Begin",
      States: {
        Begin: { Type: "Pass", Next: "Each" },
        Each: { Type: "Map", ItemsPath: "$.items", ItemProcessor: { StartAt: "Touch", States: { Touch: { Type: "Pass", End: true } } }, End: true },
      },
    }), { items });
    await eventually(async () => ((await status(arn)) !== "RUNNING" ? true : undefined), 120_000, "the 25,000-event execution");
    assert.equal(await status(arn), "SUCCEEDED");
    const total = 25_000;
    const page = await h.open(executionPage(arn, "events"));
    await page.getByText(`${total.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} events`).waitFor();
    const scroller = page.getByTestId("history-scroll");
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.locator(`[data-event-id="${total}"]`).waitFor();
    await page.locator(`[data-event-id="${total}"]`).getByText("ExecutionSucceeded").waitFor();
    const rendered = await page.locator("[data-event-id]").count();
    assert.ok(rendered < 120, `${rendered} rows in the page for ${total} events`);
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await page.locator(`[data-event-id="${Math.round(total / 2)}"]`).waitFor();
    await page.getByRole("button", { name: `Event ${Math.round(total / 2)} details` }).click();
    await page.locator(".history-details").first().waitFor();
    await screenshot(page, "execution-events");
    await page.close();
  });

  it("asks for a key when the server runs with --auth, and signs every call with it (SigV4)", async () => {
    const folder = mkdtempSync(join(tmpdir(), "sw-console-auth-"));
    const authFile = join(folder, "auth.json");
    writeFileSync(authFile, JSON.stringify({ principals: [{ accessKeyId: "AKIDCONSOLETEST", secretAccessKey: "console-secret", allow: ["states:*"] }] }), { mode: 0o600 });
    const secured = await startServe(["--port", "0", "--data", join(folder, "data"), "--auth", authFile]);
    try {
      const signed = new SFNClient({
        endpoint: secured.endpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDCONSOLETEST", secretAccessKey: "console-secret" }, maxAttempts: 1,
      });
      await signed.send(new CreateStateMachineCommand({ name: "signed-flow", roleArn: ROLE, definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }) }));
      signed.destroy();
      const page = await h.open("#/state-machines", secured.endpoint);
      const dialog = page.getByRole("dialog", { name: "Sign in to this Stepwright server" });
      await dialog.getByText(/requires signed requests/).waitFor();
      await screenshot(page, "sign-in");
      await dialog.getByLabel("Access key ID").fill("AKIDCONSOLETEST");
      await dialog.getByLabel("Secret access key").fill("not-the-secret");
      await dialog.getByRole("button", { name: "Sign in" }).click();
      await dialog.getByText(/refused the key AKIDCONSOLETEST \(InvalidSignatureException/).waitFor();
      await dialog.getByLabel("Secret access key").fill("console-secret");
      await dialog.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("link", { name: "signed-flow" }).waitFor();
      await page.getByText("Signed as").waitFor();
      const stored = await page.evaluate(() => ({ session: sessionStorage.getItem("stepwright.credentials") ?? "", local: localStorage.length }));
      assert.match(stored.session, /AKIDCONSOLETEST/);
      assert.equal(stored.local, 0, "nothing in localStorage");
      await page.close();
    } finally {
      secured.child.kill("SIGTERM");
      await secured.exited;
    }
  });

  after(() => {
    assert.deepEqual(h?.pageErrors ?? [], [], "the console threw no errors");
  });
});
