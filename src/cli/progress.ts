// A one-line progress report on stderr for runs that last over a second (only when stderr is a terminal).
import type { HistoryEvent } from "../sfn/events.ts";

const SHOW_AFTER_MS = 1000;
const REFRESH_MS = 200;

/** Counts events and shows `events so far, current state` until stopped. */
export class ProgressLine {
  private events = 0;
  private state = "";
  private shown = false;
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly stream: NodeJS.WriteStream;

  constructor(stream: NodeJS.WriteStream) {
    this.stream = stream;
    if (stream.isTTY) {
      this.timer = setInterval(() => this.render(), REFRESH_MS);
      this.timer.unref();
    }
  }

  /** Feeds one history event (pass as the run's onEvent). */
  readonly onEvent = (event: HistoryEvent): void => {
    this.events += 1;
    const name = event.stateEnteredEventDetails?.name;
    if (name !== undefined) this.state = name;
  };

  private render(): void {
    const elapsed = Date.now() - this.started;
    if (elapsed < SHOW_AFTER_MS) return;
    const line = `… ${(elapsed / 1000).toFixed(1)}s  ${this.events} events  state: ${this.state}`;
    const width = this.stream.columns ?? 80;
    this.stream.write(`\r\x1b[2K${line.slice(0, Math.max(10, width - 1))}`);
    this.shown = true;
  }

  /** Stops refreshing and erases the line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.shown) this.stream.write("\r\x1b[2K");
  }
}
