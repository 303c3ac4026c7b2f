// Errors the service answers with, named as AWS names them (Step Functions API reference, "Errors" of each action).
/** An error the API layer returns as `{"__type": name, "message": message}` with HTTP 400. */
export class ServiceError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** `StateMachineDoesNotExist: State Machine Does Not Exist: '<arn>'`. */
export function stateMachineDoesNotExist(arn: string): ServiceError {
  return new ServiceError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
}
/** `ExecutionDoesNotExist: Execution Does Not Exist: '<arn>'`. */
export function executionDoesNotExist(arn: string): ServiceError {
  return new ServiceError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
}
/** `ActivityDoesNotExist: Activity Does Not Exist: '<arn>'`. */
export function activityDoesNotExist(arn: string): ServiceError {
  return new ServiceError("ActivityDoesNotExist", `Activity Does Not Exist: '${arn}'`);
}
/** `InvalidArn: Invalid Arn: '<detail>'`. */
export function invalidArn(detail: string): ServiceError {
  return new ServiceError("InvalidArn", `Invalid Arn: '${detail}'`);
}
/** `InvalidName: Invalid Name: '<name>'`. */
export function invalidName(name: string): ServiceError {
  return new ServiceError("InvalidName", `Invalid Name: '${name}'`);
}
/** `ValidationException` with AWS's "1 validation error detected" wording. */
export function validationError(message: string): ServiceError {
  return new ServiceError("ValidationException", message);
}
/** A task token that is not one: `InvalidToken: Invalid Token: 'Invalid token'`. */
export function invalidToken(detail = "Invalid token"): ServiceError {
  return new ServiceError("InvalidToken", `Invalid Token: '${detail}'`);
}
/** A task that finished already: `TaskTimedOut: Task Timed Out: 'Provided task does not exist anymore'`. */
export function taskTimedOut(): ServiceError {
  return new ServiceError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
}

/** The abort reason of in-flight tasks when the service shuts down (not a cancellation: the task is re-run). */
export const SHUTDOWN = "stepwright:shutdown";
