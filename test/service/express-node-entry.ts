// A server of the EXPRESS Map Run test on PostgreSQL as a child process (so that the test can kill -9 it): a
// service on the shared schema whose Lambda is the gate (express-gate.ts). Prints "ready" once it claims work.
import { StepwrightService } from "../../src/runtime/service/service.ts";
import { createPostgresStore } from "../../src/store/postgres.ts";
import { expressGate } from "./express-gate.ts";

const [url, schema, node, dir, perNode, leaseMs] = process.argv.slice(2);
if (url === undefined || schema === undefined || node === undefined || dir === undefined) throw new Error("usage: URL SCHEMA NODE DIR PER_NODE LEASE_MS");
const service = new StepwrightService({
  store: createPostgresStore(url, { schema, nodeId: node }),
  nodeId: node,
  adapters: [expressGate(node, dir)],
  limits: { schedulerPollMs: 20, mapRunChildrenPerNode: Number(perNode), taskLeaseMs: Number(leaseMs) },
});
await service.start();
process.stdout.write("ready\n");
