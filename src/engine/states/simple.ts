// Pass, Choice, Succeed and Fail: states that never wait ("Pass", "Choice", "Succeed", "Fail" pages of
// the AWS docs: state-pass.html, state-choice.html, state-succeed.html, state-fail.html).
import type { Json, JsonObject } from "../../util/json.ts";
import { StatesError, StatesErrors } from "../../sfn/errors.ts";
import { applyResultPath } from "../../query/paths.ts";
import type { RunContext } from "../run-context.ts";
import type { ChoiceNode, FailNode, FailText, JsonataChoice, PassNode, PathChoice, SucceedNode } from "../machine.ts";
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
  if (node.jsonata) return passJsonata(run, frame, node);
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

function passJsonata(run: RunContext, frame: Frame, node: PassNode): Promise<boolean> {
  return exitJsonata(run, frame, node, { input: frame.input });
}

/** Succeed: the frame ends with the (filtered) input. */
export function stepSucceed(run: RunContext, frame: Frame, node: SucceedNode): Step {
  enterState(run, frame, node);
  const work: ByLanguage<Json> = {
    jsonpath: () => {
      const scope = scopeOf(run, frame);
      const effective = inputOf(node, frame.input, scope);
      if (run.inspect !== undefined) run.inspect("afterInputPath", effective);
      return outputOf(node, effective, scope);
    },
    jsonata: async () => (node.output === undefined ? frame.input : await node.output.evaluate(jsonataScope(run, frame, { input: frame.input }))),
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
  const work: ByLanguage<ChoiceOutcome> = {
    jsonpath: () => choicePath(run, frame, node),
    jsonata: () => choiceJsonata(run, frame, node),
  };
  return inLanguage(run, frame, node, work, (o) => exitState(run, frame, node, o.output, o.assigned, o.next));
}

function choicePath(run: RunContext, frame: Frame, node: ChoiceNode): ChoiceOutcome {
  const rules = node.rules;
  if (rules.language !== "jsonpath") throw new Error(`the JSONata Choice '${node.name}' run as JSONPath`);
  const scope = scopeOf(run, frame);
  const effective = inputOf(node, frame.input, scope);
  if (run.inspect !== undefined) run.inspect("afterInputPath", effective);
  let matched: PathChoice | undefined;
  for (const choice of rules.choices) {
    if (choice.rule.matches(effective, scope)) {
      matched = choice;
      break;
    }
  }
  if (matched === undefined && node.defaultNext === undefined) throw noChoiceMatched(node);
  const next = matched?.next ?? node.defaultNext!;
  const assigned = assignPath(matched !== undefined ? matched.assign : node.assign, effective, scope);
  return { output: outputOf(node, effective, scope), assigned, next };
}

async function choiceJsonata(run: RunContext, frame: Frame, node: ChoiceNode): Promise<ChoiceOutcome> {
  const rules = node.rules;
  if (rules.language !== "jsonata") throw new Error(`the JSONPath Choice '${node.name}' run as JSONata`);
  const parts = { input: frame.input };
  const scope = jsonataScope(run, frame, parts);
  let matched: JsonataChoice | undefined;
  for (const choice of rules.choices) {
    if (await choice.condition.evaluate(scope)) {
      matched = choice;
      break;
    }
  }
  if (matched === undefined && node.defaultNext === undefined) throw noChoiceMatched(node);
  const next = matched?.next ?? node.defaultNext!;
  const outputField = matched?.output ?? (matched === undefined ? node.output : undefined) ?? node.output;
  const output = outputField === undefined ? frame.input : await outputField.evaluate(scope);
  const assigned = await assignJsonata(run, frame, matched !== undefined ? matched.assign : node.assign, parts);
  return { output, assigned, next };
}

/** Fail: the frame fails with Error and Cause (literal, path or JSONata). */
export function stepFail(run: RunContext, frame: Frame, node: FailNode): Step {
  enterState(run, frame, node);
  if (node.jsonata && (node.error?.kind === "jsonata" || node.cause?.kind === "jsonata")) {
    return (async () => {
      try {
        const scope = jsonataScope(run, frame, { input: frame.input });
        const error = node.error?.kind === "jsonata" ? await node.error.value.evaluate(scope) : literalText(node.error);
        const cause = node.cause?.kind === "jsonata" ? await node.cause.value.evaluate(scope) : literalText(node.cause);
        fail(run, frame, error, cause);
      } catch (thrown) {
        return raise(run, frame, node, toRaised(frame, thrown));
      }
      return false;
    })();
  }
  try {
    // A Fail state has no InputPath: TestState reports its input as it is.
    if (run.inspect !== undefined && !node.jsonata) run.inspect("afterInputPath", frame.input);
    const scope = scopeOf(run, frame);
    const error = pathText(node.error, "ErrorPath", frame.input, scope);
    const cause = pathText(node.cause, "CausePath", frame.input, scope);
    fail(run, frame, error, cause);
  } catch (thrown) {
    return raise(run, frame, node, toRaised(frame, thrown));
  }
  return false;
}

function literalText(text: FailText | undefined): Json | undefined {
  return text?.kind === "literal" ? text.value : undefined;
}

function pathText(text: FailText | undefined, field: string, input: Json, scope: ReturnType<typeof scopeOf>): Json | undefined {
  if (text === undefined || text.kind === "literal") return text?.value;
  if (text.kind === "jsonata") return undefined;
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
