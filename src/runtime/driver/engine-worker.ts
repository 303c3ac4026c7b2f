// One engine worker of the pool (worker-pool.ts): validates, compiles and decides what the pool sends, one job at
// a time, with its own bounded cache of compiled machines. Randomness is the platform's; time comes with each job.
import { parentPort, workerData } from "node:worker_threads";
import { systemRandom } from "../../util/random.ts";
import { EngineExecutor } from "./executor.ts";
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

port.on("message", (message: WorkerRequest) => {
  void answer(message).then((reply) => port.postMessage(reply));
});
port.postMessage({ ready: true });
