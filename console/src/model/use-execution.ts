// An execution kept current while it runs: its description, the definition it runs, and its whole history
// (read in pages of 1,000), then polled every second for new events until it ends (newest first, until a known
// event comes back: the API's own paging, no extra endpoint).
import { useCallback, useEffect, useRef, useState } from "react";
import { callApi } from "../api/client.ts";
import type { ExecutionDescription, HistoryEvent } from "../api/types.ts";

export interface ExecutionData {
  description?: ExecutionDescription;
  definition?: string;
  events: HistoryEvent[];
  /** The history is read up to the latest event (not still paging in). */
  complete: boolean;
  /** How many events are read so far (the page shows the progress; `events` follows every few pages). */
  loaded: number;
  error?: unknown;
}

const POLL_MS = 1000;

async function newerEvents(arn: string, lastId: number): Promise<HistoryEvent[]> {
  const found: HistoryEvent[] = [];
  let nextToken: string | undefined;
  for (;;) {
    const page = await callApi<{ events: HistoryEvent[]; nextToken?: string }>("GetExecutionHistory", {
      executionArn: arn, reverseOrder: true, maxResults: 500, ...(nextToken ? { nextToken } : {}),
    });
    for (const event of page.events) {
      if (event.id <= lastId) return found.reverse();
      found.push(event);
    }
    nextToken = page.nextToken;
    if (!nextToken) return found.reverse();
  }
}

export function useExecution(arn: string): ExecutionData & { refresh: () => void } {
  const [data, setData] = useState<ExecutionData>({ events: [], complete: false, loaded: 0 });
  const busy = useRef(false);
  const current = useRef(data);
  current.current = data;
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    const live = (): boolean => mine === generation.current;
    setData({ events: [], complete: false, loaded: 0 });
    busy.current = true;
    void (async () => {
      try {
        const [description, forExecution] = await Promise.all([
          callApi<ExecutionDescription>("DescribeExecution", { executionArn: arn }),
          callApi<{ definition: string }>("DescribeStateMachineForExecution", { executionArn: arn }),
        ]);
        if (!live()) return;
        setData({ description, definition: forExecution.definition, events: [], complete: false, loaded: 0 });
        const events: HistoryEvent[] = [];
        let nextToken: string | undefined;
        let pages = 0;
        do {
          const page = await callApi<{ events: HistoryEvent[]; nextToken?: string }>("GetExecutionHistory", {
            executionArn: arn, maxResults: 1000, ...(nextToken ? { nextToken } : {}),
          });
          if (!live()) return;
          for (const event of page.events) events.push(event);
          nextToken = page.nextToken;
          // Reading the history again for every page would cost more than the paging: show it every 10 pages.
          const snapshot = nextToken === undefined || ++pages % 10 === 1 ? events.slice() : undefined;
          const count = events.length;
          setData((d) => ({ ...d, ...(snapshot ? { events: snapshot } : {}), loaded: count, complete: nextToken === undefined }));
        } while (nextToken);
      } catch (error) {
        if (live()) setData((d) => ({ ...d, error }));
      } finally {
        if (live()) busy.current = false;
      }
    })();
    return () => {
      generation.current++;
      busy.current = false;
    };
  }, [arn]);

  const poll = useCallback(async () => {
    if (busy.current) return;
    const mine = generation.current;
    busy.current = true;
    try {
      const description = await callApi<ExecutionDescription>("DescribeExecution", { executionArn: arn });
      const known = current.current.events;
      const added = await newerEvents(arn, known[known.length - 1]?.id ?? 0);
      if (mine !== generation.current) return;
      setData((d) => {
        const fresh = added.filter((e) => e.id > (d.events[d.events.length - 1]?.id ?? 0));
        return { ...d, description, ...(fresh.length > 0 ? { events: d.events.concat(fresh), loaded: d.events.length + fresh.length } : {}) };
      });
    } catch (error) {
      if (mine === generation.current) setData((d) => ({ ...d, error }));
    } finally {
      if (mine === generation.current) busy.current = false;
    }
  }, [arn]);

  const running = data.description?.status === "RUNNING";
  useEffect(() => {
    if (!running || !data.complete) return;
    const id = window.setInterval(() => void poll(), POLL_MS);
    return () => window.clearInterval(id);
  }, [running, data.complete, poll]);

  return { ...data, refresh: () => void poll() };
}
