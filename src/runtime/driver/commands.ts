// Applying the engine's commands: the one switch over `Command` every entry point uses. A durable runtime
// turns them into a store write (service/write.ts), an in-memory one acts on them at once (library/).
import type { Command } from "../../engine/types.ts";

export type InvokeTaskCommand = Extract<Command, { type: "invokeTask" }>;
export type CompleteCommand = Extract<Command, { type: "complete" }>;

/** What a runtime does with each kind of command. */
export interface CommandSink {
  invokeTask(command: InvokeTaskCommand): void;
  cancelTask(taskId: string): void;
  startTimer(timerId: string, dueAt: number): void;
  cancelTimer(timerId: string): void;
  /** The execution ended (a `complete` command with RUNNING is never acted on). */
  complete(command: CompleteCommand): void;
}

/** Hands each command, in order, to the sink. */
export function applyCommands(commands: readonly Command[], sink: CommandSink): void {
  for (const command of commands) {
    switch (command.type) {
      case "invokeTask":
        sink.invokeTask(command);
        break;
      case "cancelTask":
        sink.cancelTask(command.taskId);
        break;
      case "startTimer":
        sink.startTimer(command.timerId, command.dueAt);
        break;
      case "cancelTimer":
        sink.cancelTimer(command.timerId);
        break;
      case "complete":
        sink.complete(command);
        break;
    }
  }
}
