// What every action handler sees: the service (executions), the store (resources) and the ARN scope.
import type { StepwrightService } from "../runtime/service/service.ts";
import type { Store } from "../store/types.ts";
import type { ArnScope } from "../sfn/arn.ts";
import type { ApiInput } from "./protocol.ts";

export interface ApiContext {
  readonly service: StepwrightService;
  readonly store: Store;
  readonly scope: ArnScope;
  /** Aborted when the client goes away (long polls stop). */
  readonly signal: AbortSignal;
}

/** One API action: its input in, its output out, or a ServiceError thrown. */
export type ActionHandler = (input: ApiInput, context: ApiContext) => Promise<object>;
