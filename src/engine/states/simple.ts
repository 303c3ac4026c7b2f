// Pass, Choice, Succeed and Fail: states that never wait ("Pass", "Choice", "Succeed", "Fail" pages of
// the AWS docs: state-pass.html, state-choice.html, state-succeed.html, state-fail.html).
import type { Json, JsonObject } from "../../util/json.ts";
import { StatesError, StatesErrors } from "../../sfn/errors.ts";
import { applyResultPath } from "../../query/paths.ts";
import type { RunContext } from "../run-context.ts";
import type { ChoiceNode, FailNode, JsonataChoice, JsonataForm, PassNode, PathChoice, PathFailText, PathForm, SucceedNode } from "../machine.ts";
import type { Frame } from "../state.ts";
import { assignJsonata, assignPath, inputOf, outputOf, scopeOf, toRaised } from "../dataflow.ts";
import { enterState, exitState, inLanguage, raise } from "../flow.ts";
import type { ByLanguage, Step } from "../flow.ts";
import { frameFailed } from "../frames.ts";
import { jsonataScope } from "../scope.ts";
import { exitJsonata } from "./result.ts";

/** Pass: Result / Parameters, ResultPath, OutputPath (JSONPath) or Output (JSONata). */
export function stepPass(run: RunContext, frame: Frame, node: PassNode): Step {
  enterState(run, frame, node);
  if (node.language === "jsonata") return exitJsonata(run, frame, node, { input: frame.input });
  let output: Json;
  let assigned: JsonObject | undefined;
  try {
    const scope = scopeOf(run, frame);
    const effective = inputOf(node, frame.input, scope);
    const inspect = run.inspect;
    // TestState reports a Pass's `Result` as its result, else its input before and after Parameters.
    if (inspect !== undefined && (node.parameters !== undefined || node.result === undefined)) inspect("afterInputPath", effective);
    const result =
      node.parameters !== undefined
        ? node.parameters.evaluate(effective, scope)
        : node.result !== undefined
          ? node.result
          : effective;
    if (inspect !== undefined) {
      inspect(node.parameters === undefined && node.result !== undefined ? "result" : "afterParameters", result);
      inspect("afterResultSelector", result);
    }
    assigned = assignPath(node.assign, result, scope);
    const placed = applyResultPath(frame.input, result, node.resultPath);
    if (inspect !== undefined) inspect("afterResultPath", placed);
    output = outputOf(node, placed, scope);
  } catch (thrown) {
    return raise(run, frame, node, toRaised(frame, thrown));
  }
  return exitState(run, frame, node, output, assigned);
}

/** Succeed: the frame ends with the (filtered) input. */
export function stepSucceed(run: RunContext, frame: Frame, node: SucceedNode): Step {
  enterState(run, frame, node);
  const work: ByLanguage<SucceedNode, Json> = {
    jsonpath: (path) => {
      const scope = scopeOf(run, frame);
      const effective = inputOf(path, frame.input, scope);
      if (run.inspect !== undefined) run.inspect("afterInputPath", effective);
      return outputOf(path, effective, scope);
    },
    jsonata: async (form) => (form.output === undefined ? frame.input : await form.output.evaluate(jsonataScope(run, frame, { input: frame.input }))),
  };
  return inLanguage(run, frame, node, work, (output) => exitState(run, frame, node, output, undefined));
}

/** AWS's cause when no Choice rule matched and there is no Default. */
function noChoiceMatched(node: ChoiceNode): StatesError {
  return new StatesError(StatesErrors.NoChoiceMatched, `No Matches! The state '${node.name}' has no Default.`);
}

/** Where a Choice state goes, and what it passes on. */
interface ChoiceOutcome {
  readonly output: Json;
  readonly assigned: JsonObject | undefined;
  readonly next: string;
}

/** Choice: the first matching rule's Next, else Default. */
export function stepChoice(run: RunContext, frame: Frame, node: ChoiceNode): Step {
  enterState(run, frame, node);
  const work: ByLanguage<ChoiceNode, ChoiceOutcome> = {
    jsonpath: (path) => choicePath(run, frame, path),
    jsonata: (form) => choiceJsonata(run, frame, form),
  };
  return inLanguage(run, frame, node, work, (o) => exitState(run, frame, node, o.output, o.assigned, o.next));
}

function choicePath(run: RunContext, frame: Frame, node: PathForm<ChoiceNode>): ChoiceOutcome {
  const scope = scopeOf(run, frame);
  const effective = inputOf(node, frame.input, scope);
  if (run.inspect !== undefined) run.inspect("afterInputPath", effective);
  let matched: PathChoice | undefined;
  for (const choice of node.choices) {
    if (choice.rule.matches(effective, scope)) {
      matched = choice;
      break;
    }
  }
  const next = matched?.next ?? node.defaultNext;
  if (next === undefined) throw noChoiceMatched(node);
  const assigned = assignPath(matched !== undefined ? matched.assign : node.assign, effective, scope);
  return { output: outputOf(node, effective, scope), assigned, next };
}

async function choiceJsonata(run: RunContext, frame: Frame, node: JsonataForm<ChoiceNode>): Promise<ChoiceOutcome> {
  const parts = { input: frame.input };
  const scope = jsonataScope(run, frame, parts);
  let matched: JsonataChoice | undefined;
  for (const choice of node.choices) {
    if (await choice.condition.evaluate(scope)) {
      matched = choice;
      break;
    }
  }
  const next = matched?.next ?? node.defaultNext;
  if (next === undefined) throw noChoiceMatched(node);
  const outputField = matched?.output ?? node.output;
  const output = outputField === undefined ? frame.input : await outputField.evaluate(scope);
  const assigned = await assignJsonata(run, frame, matched !== undefined ? matched.assign : node.assign, parts);
  return { output, assigned, next };
}

/** Fail: the frame fails with Error and Cause (literal, path or JSONata). */
export function stepFail(run: RunContext, frame: Frame, node: FailNode): Step {
  enterState(run, frame, node);
  if (node.language === "jsonata") return failJsonata(run, frame, node);
  try {
    // A Fail state has no InputPath: TestState reports its input as it is.
    if (run.inspect !== undefined) run.inspect("afterInputPath", frame.input);
    const scope = scopeOf(run, frame);
    const error = pathText(node.error, "ErrorPath", frame.input, scope);
    const cause = pathText(node.cause, "CausePath", frame.input, scope);
    fail(run, frame, error, cause);
  } catch (thrown) {
    return raise(run, frame, node, toRaised(frame, thrown));
  }
  return false;
}

function failJsonata(run: RunContext, frame: Frame, node: JsonataForm<FailNode>): Step {
  const { error, cause } = node;
  // Literal texts need no evaluation, and so no promise.
  if (error?.kind !== "jsonata" && cause?.kind !== "jsonata") {
    fail(run, frame, error?.value, cause?.value);
    return false;
  }
  return (async () => {
    try {
      const scope = jsonataScope(run, frame, { input: frame.input });
      const errorText = error?.kind === "jsonata" ? await error.value.evaluate(scope) : error?.value;
      const causeText = cause?.kind === "jsonata" ? await cause.value.evaluate(scope) : cause?.value;
      fail(run, frame, errorText, causeText);
    } catch (thrown) {
      return raise(run, frame, node, toRaised(frame, thrown));
    }
    return false;
  })();
}

function pathText(text: PathFailText | undefined, field: string, input: Json, scope: ReturnType<typeof scopeOf>): Json | undefined {
  if (text === undefined || text.kind === "literal") return text?.value;
  if (text.kind === "intrinsic") return text.evaluate(input, scope);
  const value = text.path.evaluate(input, scope);
  if (value === undefined) {
    throw new StatesError(
      StatesErrors.Runtime,
      `The JSONPath '${text.source}' specified for the field '${field}' could not be found in the input '${JSON.stringify(input)}'`,
    );
  }
  return value;
}

function fail(run: RunContext, frame: Frame, error: Json | undefined, cause: Json | undefined): void {
  const asText = (v: Json | undefined): string | undefined =>
    v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v);
  const failure: { error: string; cause: string } = { error: asText(error) as string, cause: asText(cause) as string };
  frameFailed(run, frame, failure);
}
