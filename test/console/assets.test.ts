// `serve` serves the console's build on GET (the API stays POST /), never a missing or stale build, and the
// build stays within its size budget.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { ListStateMachinesCommand } from "@aws-sdk/client-sfn";
import { CONSOLE_DIR, consoleBuildProblem, createConsoleHandler } from "../../src/api/console-assets.ts";
import type { ConsoleRequestHandler } from "../../src/api/console-assets.ts";
import { createApiServer } from "../../src/api/server.ts";
import { openService } from "../../src/runtime/service/open-service.ts";
import { sdkClient } from "../api/harness.ts";
import { ensureConsoleBuild } from "./build.ts";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", fail);
    req.end();
  });
}

async function listen(handler: ConsoleRequestHandler): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((done) => server.close(() => done())) };
}

describe("console: served by the API server", () => {
  let url = "";
  let closeAll: () => Promise<void> = async () => {};
  before(async () => {
    ensureConsoleBuild();
    const service = openService({ dataDir: mkdtempSync(join(tmpdir(), "sw-console-")), scope: { partition: "aws", accountId: "111122223333", region: "eu-west-3" } });
    await service.start();
    const server = createApiServer(service);
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closeAll = async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await service.close();
    };
  });
  after(() => closeAll());

  it("answers GET / with the page and a strict CSP, and tells the page the region to sign for", async () => {
    const page = await get(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers["content-type"]), /text\/html/);
    assert.match(String(page.headers["content-security-policy"]), /default-src 'self'; script-src 'self'/);
    assert.equal(page.headers["cache-control"], "no-cache");
    const html = page.body.toString("utf8");
    const config = JSON.parse((await get(`${url}/console-config.json`)).body.toString()) as Record<string, unknown>;
    assert.deepEqual([config["authRequired"], config["signingRegion"], config["signingService"], config["accountId"]], [false, "eu-west-3", "states", "111122223333"]);
    // Every script and style is served by this server (no CDN).
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(assets.length >= 2);
    for (const asset of assets) {
      assert.ok(!/^(https?:)?\/\//.test(asset), `${asset} is local`);
      const answer = await get(new URL(asset, `${url}/`).href, { "accept-encoding": "gzip" });
      assert.equal(answer.status, 200, asset);
      if (asset.includes("/assets/")) {
        assert.match(String(answer.headers["cache-control"]), /immutable/);
        if (answer.headers["content-encoding"] === "gzip") assert.ok(gunzipSync(answer.body).length > answer.body.length);
      }
    }
  });

  it("answers the console's pages with the page, a missing file with 404, and HEAD without a body", async () => {
    assert.equal((await get(`${url}/state-machines`)).status, 200);
    assert.equal((await get(`${url}/assets/nothing-here.js`)).status, 404);
    const head = await get(`${url}/`, {}, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });

  it("still answers the API on POST /", async () => {
    const client = sdkClient(url);
    const answer = await client.send(new ListStateMachinesCommand({}));
    assert.deepEqual(answer.stateMachines, []);
    client.destroy();
  });

  it("keeps GET an API error with the console off (serve --no-console)", async () => {
    const service = openService({ dataDir: mkdtempSync(join(tmpdir(), "sw-console-")) });
    await service.start();
    const server = createApiServer(service, { console: false });
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
    const answer = await get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    assert.equal(answer.status, 404);
    assert.equal(JSON.parse(answer.body.toString()).__type, "UnknownOperationException");
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
    await service.close();
  });
});

describe("console: build", () => {
  it("refuses a build older than its sources, and a missing build, saying how to rebuild", async () => {
    ensureConsoleBuild();
    const copy = mkdtempSync(join(tmpdir(), "sw-console-src-"));
    cpSync(CONSOLE_DIR, copy, { recursive: true, filter: (path) => !path.includes("node_modules") && !path.includes("screenshots") });
    assert.equal(consoleBuildProblem(copy), undefined);
    writeFileSync(join(copy, "src", "main.tsx"), readFileSync(join(copy, "src", "main.tsx"), "utf8") + "\n// edited\n");
    assert.match(consoleBuildProblem(copy) ?? "", /older than its sources; run: \.\/scripts\/with-node npm run build:console/);
    const server = await listen(createConsoleHandler(copy));
    const answer = await get(`${server.url}/`);
    assert.equal(answer.status, 503);
    assert.match(answer.body.toString(), /npm run build:console/);
    await server.close();
    assert.match(consoleBuildProblem(join(copy, "nothing")) ?? "", /not built/);
  });

  it("stays within 400 kB gzipped, everything it can load included", () => {
    ensureConsoleBuild();
    const info = JSON.parse(readFileSync(join(CONSOLE_DIR, "dist", "build-info.json"), "utf8")) as { gzipTotal: number };
    assert.ok(info.gzipTotal < 400 * 1024, `${info.gzipTotal} bytes gzipped`);
  });
});
