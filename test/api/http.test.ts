// The API through a real socket: the AWS SDK end to end, and the request-size limit of the HTTP adapter. A body
// over the limit is answered 413 (Coral's RequestEntityTooLargeException) and its connection closed at once:
// the declared Content-Length is refused before any of the body is read (before `100 Continue` too), and a
// chunked body is cut off as soon as it passes the limit. The other tests call the protocol layer in-process.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListStateMachinesCommand, StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { createApiServer } from "../../src/api/server.ts";
import { eventually, ROLE, startHarness } from "./harness.ts";
import type { Harness } from "./harness.ts";

const LIMIT = 64 * 1024;
const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });

interface RawExchange {
  /** What the server sent back. */
  received: string;
  /** Body bytes this side managed to write before the connection closed. */
  sent: number;
  /** The connection ended (closed by the server). */
  closed: boolean;
}

/**
 * Sends `head`, then body chunks produced by `chunk` while the connection is open (at most `maxChunks`), and
 * collects what comes back until the server closes the connection.
 */
function exchange(port: number, head: string, chunk: (i: number) => Buffer | undefined): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let sent = 0;
    let open = true;
    socket.on("data", (data) => (received += data.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => {
      open = false;
      resolve({ received, sent, closed: true });
    });
    socket.write(head);
    let i = 0;
    const pump = (): void => {
      while (open) {
        const next = chunk(i++);
        if (next === undefined) return;
        sent += next.length;
        if (!socket.write(next)) {
          socket.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
}

const head = (headers: Record<string, string>) =>
  `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n${
    Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;

describe("HTTP", () => {
  let h: Harness;
  let small: Server;
  let smallPort = 0;
  before(async () => {
    h = await startHarness({ socket: true });
    small = createApiServer(h.service, { maxRequestBytes: LIMIT });
    await new Promise<void>((ready) => small.listen(0, "127.0.0.1", () => ready()));
    smallPort = (small.address() as AddressInfo).port;
  });
  after(async () => {
    small.closeAllConnections();
    await new Promise<void>((done) => small.close(() => done()));
    await h.close();
  });

  it("runs an execution end to end with the AWS SDK", async () => {
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "Socket", definition: PASS, roleArn: ROLE }));
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, name: "one", input: '{"a":1}' }));
    const described = await eventually(async () => {
      const e = await h.client.send(new DescribeExecutionCommand({ executionArn }));
      return e.status === "RUNNING" ? undefined : e;
    });
    assert.equal(described.status, "SUCCEEDED");
    assert.equal(described.output, '{"a":1}');
    const history = await h.client.send(new GetExecutionHistoryCommand({ executionArn }));
    assert.deepEqual(history.events?.map((e) => e.type), ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
  });

  it("gives the SDK AWS's error names", async () => {
    await assert.rejects(h.client.send(new DescribeExecutionCommand({ executionArn: "nope" })), (error: Error) => {
      assert.equal(error.name, "InvalidArn");
      assert.equal(error.message, "Invalid Arn: 'Invalid ARN prefix: nope'");
      return true;
    });
  });

  it("refuses a declared Content-Length over the limit without reading the body", async () => {
    // Only a little of the declared body is ever sent: the answer cannot have waited for the rest.
    const result = await exchange(smallPort, head({ "Content-Length": String(LIMIT * 100) }), (i) => (i < 2 ? Buffer.alloc(1024, 0x20) : undefined));
    assert.match(result.received, /^HTTP\/1\.1 413 /);
    assert.match(result.received, /"__type":"RequestEntityTooLargeException"/);
    assert.match(result.received, /\r\nconnection: close\r\n/i);
    assert.ok(result.closed);
  });

  it("refuses a declared Content-Length over the limit before 100 Continue", async () => {
    const result = await exchange(smallPort, head({ "Content-Length": String(LIMIT + 1), Expect: "100-continue" }), () => undefined);
    assert.match(result.received, /^HTTP\/1\.1 413 /);
    assert.doesNotMatch(result.received, /100 Continue/);
    assert.ok(result.closed);
  });

  it("cuts a chunked body off as soon as it passes the limit", async () => {
    // The client would send 64 MiB (1,000 times the limit) if let; the server closes the connection once past
    // the limit, long before (what the client manages to write meanwhile is what the kernels buffer).
    const piece = Buffer.alloc(8 * 1024, 0x20);
    const chunk = Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]);
    const chunks = 8192;
    const result = await exchange(smallPort, head({ "Transfer-Encoding": "chunked" }), (i) => (i < chunks ? chunk : undefined));
    assert.ok(result.closed);
    assert.ok(result.sent < (chunks * chunk.length) / 2, `the client sent ${result.sent} bytes before the server closed the connection`);
    if (result.received !== "") assert.match(result.received, /^HTTP\/1\.1 413 /);
  });

  it("answers requests within the limit, on the same server, afterwards", async () => {
    const body = "{}";
    const result = await exchange(smallPort, head({ "Content-Length": String(body.length), Connection: "close" }), (i) => (i === 0 ? Buffer.from(body) : undefined));
    assert.match(result.received, /^HTTP\/1\.1 200 /);
    assert.ok((await h.client.send(new ListStateMachinesCommand({}))).stateMachines);
  });
});
