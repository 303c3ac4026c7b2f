// The benchmark's workloads: state machine definitions built at a given size, with their expected
// number of state entries (transitions) so every engine is measured against the same count.
import type { Json } from "../src/util/json.ts";

/** One workload at one size. */
export interface Workload {
  readonly definition: Record<string, Json>;
  readonly input: Json;
  /** State entries the run makes (Map/Parallel inner states included). */
  readonly transitions: number;
}

/** A workload family: its name, its full size and how to build it at any size. */
export interface WorkloadFamily {
  readonly id: string;
  readonly title: string;
  readonly fullSize: number;
  /** Executions per measured run: small workloads repeat so the timing is not a few milliseconds of JIT warm-up. */
  readonly rounds: number;
  build(size: number): Workload;
}

/** (1) A chain of `size` Pass states. */
const passChain: WorkloadFamily = {
  id: "pass-chain",
  title: "Pass chain",
  fullSize: 1_000,
  rounds: 200,
  build(size) {
    const states: Record<string, Json> = {};
    for (let i = 0; i < size; i++) {
      states[`S${i}`] = i === size - 1 ? { Type: "Pass", End: true } : { Type: "Pass", Next: `S${i + 1}` };
    }
    return { definition: { StartAt: "S0", States: states }, input: { payload: "x" }, transitions: size };
  },
};

/** (2) A counter loop: a Pass adds 1 with States.MathAdd, a Choice loops back until `size`. */
const choiceLoop: WorkloadFamily = {
  id: "choice-loop",
  title: "Choice loop",
  fullSize: 100_000,
  rounds: 1,
  build(size) {
    return {
      definition: {
        StartAt: "Increment",
        States: {
          Increment: { Type: "Pass", Parameters: { "i.$": "States.MathAdd($.i, 1)" }, Next: "Check" },
          Check: { Type: "Choice", Choices: [{ Variable: "$.i", NumericLessThan: size, Next: "Increment" }], Default: "Done" },
          Done: { Type: "Succeed" },
        },
      },
      input: { i: 0 },
      transitions: 2 * size + 1,
    };
  },
};

/** (3) An inline Map over `size` items, one Pass per item. */
const inlineMap: WorkloadFamily = {
  id: "inline-map",
  title: "Inline Map",
  fullSize: 10_000,
  rounds: 1,
  build(size) {
    return {
      definition: {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemsPath: "$.items",
            ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "Touch", States: { Touch: { Type: "Pass", Parameters: { "v.$": "$" }, End: true } } },
            End: true,
          },
        },
      },
      input: { items: Array.from({ length: size }, (_, i) => ({ i })) },
      transitions: 1 + size,
    };
  },
};

const BRANCHES = 3;

/** (4) A Map over `size` items whose processor is a Parallel of three one-Pass branches. */
const mapOfParallels: WorkloadFamily = {
  id: "map-of-parallels",
  title: "Map of Parallels",
  fullSize: 2_000,
  rounds: 1,
  build(size) {
    const branches = Array.from({ length: BRANCHES }, (_, b) => ({
      StartAt: `B${b}`,
      States: { [`B${b}`]: { Type: "Pass", Parameters: { "branch": b, "item.$": "$" }, End: true } },
    }));
    return {
      definition: {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemsPath: "$.items",
            ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "Fan", States: { Fan: { Type: "Parallel", Branches: branches, End: true } } },
            End: true,
          },
        },
      },
      input: { items: Array.from({ length: size }, (_, i) => ({ i })) },
      transitions: 1 + size * (1 + BRANCHES),
    };
  },
};

/** Every workload, in the order the table prints them. */
export const WORKLOADS: readonly WorkloadFamily[] = [passChain, choiceLoop, inlineMap, mapOfParallels];
