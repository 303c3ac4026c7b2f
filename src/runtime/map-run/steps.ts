// The children of a Map Run in item order, as a run that goes on sees them: the children the store has (a Map Run
// resumed after a restart, or redriven) beside the items read again, so that the i-th child keeps the i-th item
// (or batch) and an item without a child starts one.
import type { MapRunChildRecord } from "../../store/map-runs.ts";
import type { ChildInput } from "./batches.ts";

export type Step =
  /** An item no child had reached: a new child. */
  | { readonly kind: "new"; readonly index: number; readonly child: ChildInput }
  /** A child of the stored run; `child` is its item as read again (undefined when the items are not read again). */
  | { readonly kind: "stored"; readonly index: number; readonly row: MapRunChildRecord; readonly child?: ChildInput };

/** Every step: `rows` (in index order) merged with `source`'s children, or the rows alone without a source. */
export async function* steps(source: AsyncIterable<ChildInput> | undefined, rows: AsyncIterable<MapRunChildRecord>): AsyncGenerator<Step> {
  const stored = rows[Symbol.asyncIterator]();
  let row = await stored.next();
  if (source !== undefined) {
    let index = 0;
    for await (const child of source) {
      while (row.done !== true && row.value.index < index) row = await stored.next();
      if (row.done !== true && row.value.index === index) {
        yield { kind: "stored", index, row: row.value, child };
        row = await stored.next();
      } else {
        yield { kind: "new", index, child };
      }
      index++;
    }
  }
  // Children past the items read (or every child, when they are not read again).
  for (; row.done !== true; row = await stored.next()) yield { kind: "stored", index: row.value.index, row: row.value };
}
