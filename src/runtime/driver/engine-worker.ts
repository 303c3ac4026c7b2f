// One engine worker of the pool (worker-pool.ts): validates, compiles and decides what the pool sends, one job at
// a time, with its own bounded cache of compiled machines. Randomness is the platform's; time comes with each job.
import { parentPort, workerData } from "node:worker_threads";
import { systemRandom } from "../../util/random.ts";
import { EngineExecutor } from "./executor.ts";
import { postData, receivedData } from "../../util/clone.ts";
import type { CacheLimits } from "./machine-cache.ts";
import type { WorkerReply, WorkerRequest } from "./worker-protocol.ts";

const port = parentPort;
if (port === null) throw new Error("engine-worker.ts runs as a worker thread of the engine pool");
const executor = new EngineExecutor(systemRandom, (workerData as { cache: CacheLimits }).cache);

async function answer(message: WorkerRequest): Promise<WorkerReply> {
  switch (message.op) {
    case "decide":
      return { id: message.id, outcome: await executor.decide(message.request, message.machineKey, message.spec) };
    case "check":
      return { id: message.id, outcome: executor.checkDefinition(message.definition, message.type) };
    case "validate":
      return { id: message.id, outcome: executor.validateDefinition(message.definition, message.type) };
  }
}

// Kept number texts (util/json.ts) cross as data of their own (util/clone.ts).
port.on("message", (received: WorkerRequest | { readonly encoded: unknown }) => {
  void answer(receivedData<WorkerRequest>(received)).then((reply) => postData(reply, (data) => port.postMessage(data)));
});
port.postMessage({ ready: true });
