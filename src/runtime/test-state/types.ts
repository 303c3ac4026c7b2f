// The TestState API's request and answer, as the runtime sees them (AWS API reference, TestState; "Using
// TestState API to test a state in Step Functions", test-state-isolation.html).
import type { Json, JsonObject } from "../../util/json.ts";

/** INFO: the outcome; DEBUG: plus the data flow; TRACE: plus an HTTP Task's request and response. */
export type InspectionLevel = "INFO" | "DEBUG" | "TRACE";

/** One state to test. */
export interface TestStateRequest {
  /** The state's definition (JSON text); with `stateName`, a whole state machine's. */
  readonly definition: string;
  readonly stateName?: string;
  readonly input: Json;
  readonly roleArn?: string;
  readonly inspectionLevel: InspectionLevel;
  readonly revealSecrets: boolean;
  /** Variables in scope, by name. */
  readonly variables?: JsonObject;
  /** A mocked result or error of the state's work (Task, Map, Parallel). */
  readonly mock?: { readonly result: Json } | { readonly errorOutput: { readonly error: string; readonly cause: string } };
  /** The context object, when a mock is given. */
  readonly context?: Json;
  /** Retries already made by the retrier that matches the error (`stateConfiguration.retrierRetryCount`). */
  readonly retrierRetryCount?: number;
}

/** What TestState's state loading reads of the request (it runs where the engine runs: driver/engine-host.ts). */
export type TestedStateSpec = Pick<TestStateRequest, "definition" | "stateName" | "mock" | "roleArn" | "revealSecrets">;

/** An HTTP exchange as TRACE shows it (API InspectionDataRequest / InspectionDataResponse). */
export interface InspectedHttp {
  readonly request: { protocol: string; method: string; url: string; headers: string; body: string };
  readonly response?: { protocol: string; statusCode: string; statusMessage: string; headers: string; body: string };
}

/** What running a Task's resource answered. */
export type TestStateTaskResult =
  | { readonly status: "succeeded"; readonly output: Json; readonly http?: InspectedHttp }
  | { readonly status: "failed"; readonly error: string; readonly cause: string; readonly http?: InspectedHttp };

/** TestState's `status`. */
export type TestExecutionStatus = "SUCCEEDED" | "FAILED" | "RETRIABLE" | "CAUGHT_ERROR";

/** The inspection data, every payload as JSON text (API InspectionData). */
export interface InspectionData {
  input?: string;
  afterInputPath?: string;
  afterParameters?: string;
  afterArguments?: string;
  result?: string;
  afterResultSelector?: string;
  afterResultPath?: string;
  afterItemsPath?: string;
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  variables?: string;
  errorDetails?: { catchIndex?: number; retryIndex?: number; retryBackoffIntervalSeconds?: number };
  request?: InspectedHttp["request"];
  response?: InspectedHttp["response"];
}

/** TestState's answer. */
export interface TestStateResult {
  status: TestExecutionStatus;
  /** JSON text. */
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: InspectionData;
}

/** A request TestState refuses, with AWS's error code (ValidationException, InvalidDefinition). */
export class TestStateError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "TestStateError";
    this.code = code;
  }
}
