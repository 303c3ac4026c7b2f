// TestState of the states that do no work: Pass, Choice, Wait, Succeed and Fail, each evaluated once with the
// engine's compiled paths, templates, rules and JSONata, recording the data flow as it goes (state-pass.html,
// state-choice.html, state-wait.html, state-succeed.html, state-fail.html). A Wait does not wait.
import type { Json, JsonObject } from "../util/json.ts";
import { StatesError, StatesErrors } from "../sfn/errors.ts";
import { applyResultPath } from "../query/paths.ts";
import { assignPath, inputOf, outputOf } from "./dataflow.ts";
import type { ChoiceNode, CompiledChoice, FailNode, FailText, PassNode, SucceedNode, WaitNode } from "./machine.ts";
import type { Probe, StepOutcome } from "./test-state-probe.ts";

async function assignJsonata(probe: Probe, node: { assign: PassNode["assign"] }, parts: { input: Json; result?: Json }): Promise<JsonObject | undefined> {
  if (node.assign?.kind !== "jsonata") return undefined;
  const out = await node.assign.value.evaluate(probe.jsonataScope(parts));
  return out !== null && typeof out === "object" && !Array.isArray(out) ? out : undefined;
}

/** Pass: Result or Parameters, ResultPath, OutputPath; or Output in JSONata. */
export async function testPass(probe: Probe, node: PassNode): Promise<StepOutcome> {
  const rec = probe.recorded;
  try {
    if (node.jsonata) {
      const output = node.output === undefined ? probe.input : await node.output.evaluate(probe.jsonataScope({ input: probe.input }));
      return { kind: "output", output, next: node.next, assigned: await assignJsonata(probe, node, { input: probe.input }) };
    }
    const scope = probe.pathScope();
    let result: Json;
    if (node.result !== undefined) result = rec.result = node.result;
    else {
      const effective = (rec.afterInputPath = inputOf(node, probe.input, scope));
      result = rec.afterParameters = node.parameters === undefined ? effective : node.parameters.evaluate(effective, scope);
    }
    rec.afterResultSelector = result;
    const assigned = assignPath(node.assign, result, scope);
    const placed = (rec.afterResultPath = applyResultPath(probe.input, result, node.resultPath));
    return { kind: "output", output: outputOf(node, placed, scope), next: node.next, assigned };
  } catch (thrown) {
    return probe.raised(thrown);
  }
}

/** Succeed and Wait: the (filtered) input goes on; Output in JSONata. */
export async function testPassThrough(probe: Probe, node: SucceedNode | WaitNode): Promise<StepOutcome> {
  try {
    if (node.jsonata) {
      const output = node.output === undefined ? probe.input : await node.output.evaluate(probe.jsonataScope({ input: probe.input }));
      return { kind: "output", output, next: node.next, assigned: await assignJsonata(probe, node, { input: probe.input }) };
    }
    const scope = probe.pathScope();
    const effective = (probe.recorded.afterInputPath = inputOf(node, probe.input, scope));
    return { kind: "output", output: outputOf(node, effective, scope), next: node.next, assigned: assignPath(node.assign, effective, scope) };
  } catch (thrown) {
    return probe.raised(thrown);
  }
}

function noChoiceMatched(node: ChoiceNode): StatesError {
  return new StatesError(StatesErrors.NoChoiceMatched, `No Matches! The state '${node.name}' has no Default.`);
}

/** Choice: the first matching rule's Next (or Default) is the next state. */
export async function testChoice(probe: Probe, node: ChoiceNode): Promise<StepOutcome> {
  try {
    if (node.jsonata) {
      const parts = { input: probe.input };
      const scope = probe.jsonataScope(parts);
      let matched: CompiledChoice | undefined;
      for (const choice of node.choices) {
        if (await choice.condition!.evaluate(scope)) {
          matched = choice;
          break;
        }
      }
      if (matched === undefined && node.defaultNext === undefined) throw noChoiceMatched(node);
      const outputField = matched?.output ?? node.output;
      const output = outputField === undefined ? probe.input : await outputField.evaluate(scope);
      const assigned = await assignJsonata(probe, { assign: matched !== undefined ? matched.assign : node.assign }, parts);
      return { kind: "output", output, next: matched?.next ?? node.defaultNext, assigned };
    }
    const scope = probe.pathScope();
    const effective = (probe.recorded.afterInputPath = inputOf(node, probe.input, scope));
    const matched = node.choices.find((choice) => choice.rule!.matches(effective, scope));
    if (matched === undefined && node.defaultNext === undefined) throw noChoiceMatched(node);
    const assigned = assignPath(matched !== undefined ? matched.assign : node.assign, effective, scope);
    return { kind: "output", output: outputOf(node, effective, scope), next: matched?.next ?? node.defaultNext, assigned };
  } catch (thrown) {
    return probe.raised(thrown);
  }
}

async function failText(probe: Probe, text: FailText | undefined, field: string, effective: Json): Promise<string | undefined> {
  if (text === undefined) return undefined;
  let value: Json | undefined;
  if (text.kind === "literal") value = text.value;
  else if (text.kind === "jsonata") value = await text.value.evaluate(probe.jsonataScope({ input: probe.input }));
  else if (text.kind === "intrinsic") value = text.evaluate(effective, probe.pathScope());
  else {
    value = text.path.evaluate(effective, probe.pathScope());
    if (value === undefined) {
      throw new StatesError(
        StatesErrors.Runtime,
        `The JSONPath '${text.source}' specified for the field '${field}' could not be found in the input '${JSON.stringify(effective)}'`,
      );
    }
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Fail: FAILED with Error and Cause (literal, path, intrinsic or JSONata); no Retry or Catch applies. */
export async function testFail(probe: Probe, node: FailNode): Promise<StepOutcome> {
  try {
    const effective = node.jsonata ? probe.input : (probe.recorded.afterInputPath = inputOf(node, probe.input, probe.pathScope()));
    const error = await failText(probe, node.error, "ErrorPath", effective);
    const cause = await failText(probe, node.cause, "CausePath", effective);
    return { kind: "error", error, cause, final: true };
  } catch (thrown) {
    return probe.raised(thrown);
  }
}
