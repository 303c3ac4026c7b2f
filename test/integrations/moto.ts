// moto's server (`python3 -m moto.server`) as a stand-in for AWS services, one per test file, behind a
// recording front: the front forwards every request to moto, remembers it, and lets a test rewrite moto's JSON
// answer (to make a job fail or never end, which moto does not model), or answer itself for the operations moto
// lacks (a small double speaking the service's protocol). Without moto the tests skip, saying why.
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer, request } from "node:http";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the front forwarded. */
export interface Forwarded {
  /** `Service.Operation` from X-Amz-Target (JSON protocols), else empty. */
  target: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Rewrites moto's JSON answer to a request, or leaves it (undefined). */
export type Rewrite = (request: Forwarded, answer: unknown) => unknown;

/** Answers a request moto does not model: [status, JSON body], or undefined to forward it. */
export type Intercept = (request: Forwarded) => [number, unknown] | undefined;

export interface Moto {
  /** The front's URL: configure clients with it. */
  url: string;
  forwarded: Forwarded[];
  /** Rules applied in order, each to the previous one's result. */
  rewrites: Rewrite[];
  /** Tried before forwarding; the first that answers replaces moto. */
  intercepts: Intercept[];
  close(): Promise<void>;
}

let available: boolean | undefined;

/** Why moto cannot run here, or undefined when it can. */
export function motoMissing(): string | undefined {
  available ??= spawnSync("python3", ["-c", "import moto.server"], { stdio: "ignore" }).status === 0;
  return available ? undefined : "moto is not installed (python3 -m moto.server); these tests need it";
}

// moto.server, ended with its parent: a watcher thread exits when the test process is gone (killed, crashed).
const LAUNCH = [
  "import os, sys, threading, time, runpy",
  "parent = os.getppid()",
  "def watch():",
  "    while os.getppid() == parent: time.sleep(0.5)",
  "    os._exit(0)",
  "threading.Thread(target=watch, daemon=True).start()",
  "sys.argv = ['moto.server', '-H', '127.0.0.1', '-p', '0']",
  "runpy.run_module('moto.server', run_name='__main__')",
].join("\n");

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn("python3", ["-c", LAUNCH], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString("utf8");
      const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) {
        child.stdout?.off("data", onData);
        child.stderr?.off("data", onData);
        child.stdout?.resume();
        if (process.env["MOTO_DEBUG"]) child.stderr?.pipe(process.stderr);
        else child.stderr?.resume();
        resolve({ child, url: match[1] ?? "" });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`moto.server exited (${String(code)}): ${seen}`)));
  });
}

/** Starts moto and its recording front. */
export async function startMoto(): Promise<Moto> {
  const { child, url: motoUrl } = await startServer();
  const target = new URL(motoUrl);
  const forwarded: Forwarded[] = [];
  const rewrites: Rewrite[] = [];
  const intercepts: Intercept[] = [];
  // Every rule in turn, each given the previous one's result; undefined when none changed the answer.
  const rewritten = (seen: Forwarded, parsed: unknown): unknown => {
    let current: unknown;
    for (const rewrite of rewrites) current = rewrite(seen, current ?? parsed) ?? current;
    return current;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const seen: Forwarded = { target: String(req.headers["x-amz-target"] ?? ""), method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body: body.toString("utf8") };
      forwarded.push(seen);
      for (const intercept of intercepts) {
        const answer = intercept(seen);
        if (answer === undefined) continue;
        const payload = JSON.stringify(rewritten(seen, answer[1]) ?? answer[1]);
        res.writeHead(answer[0], { "content-type": "application/json", "x-amzn-requestid": "front-1", "content-length": Buffer.byteLength(payload) }).end(payload);
        return;
      }
      const upstream = request({ host: target.hostname, port: target.port, method: seen.method, path: seen.path, headers: req.headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => parts.push(chunk));
        answer.on("end", () => {
          let payload = Buffer.concat(parts);
          const headers = { ...answer.headers };
          // moto labels some JSON answers text/html: every answer that parses is offered to the rewrites.
          if (rewrites.length > 0 && payload.length > 0 && !String(headers["content-type"] ?? "").includes("xml")) {
            let parsed: unknown;
            try {
              parsed = JSON.parse(payload.toString("utf8"));
            } catch {
              parsed = undefined;
            }
            const replaced = parsed === undefined ? undefined : rewritten(seen, parsed);
            if (replaced !== undefined) payload = Buffer.from(JSON.stringify(replaced));
          }
          delete headers["transfer-encoding"];
          headers["content-length"] = String(payload.length);
          res.writeHead(answer.statusCode ?? 500, headers).end(payload);
        });
      });
      upstream.on("error", () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded,
    rewrites,
    intercepts,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      child.kill();
    },
  };
}

/**
 * Creates an IAM role in moto (some services there check that a role exists), with IAM's Query protocol: no IAM
 * client package is needed. Answers the role's ARN.
 */
export async function createMotoRole(moto: Moto, name: string): Promise<string> {
  const body = new URLSearchParams({ Action: "CreateRole", Version: "2010-05-08", RoleName: name, AssumeRolePolicyDocument: "{}" });
  const answer = await fetch(moto.url, {
    method: "POST",
    // moto routes a request by the service in its credential scope.
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0" },
    body: body.toString(),
  });
  const text = await answer.text();
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(text)?.[1];
  if (!answer.ok || arn === undefined) throw new Error(`moto did not create the role ${name}: ${answer.status} ${text}`);
  return arn;
}
