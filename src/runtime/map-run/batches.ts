// ItemBatcher: items grouped into batches, each a child's input `{ "Items": [...], "BatchInput": ... }`, at most
// MaxItemsPerBatch items and MaxInputBytesPerBatch bytes of JSON ("ItemBatcher (Map)",
// input-output-itembatcher.html); a child's input is at most 256 KiB in any case.
import type { BatcherSpec } from "../../engine/map-run-spec.ts";
import type { Json } from "../../util/json.ts";

/** One child's input and the items it holds (their count, for the Map Run's item counts). */
export interface ChildInput {
  readonly input: Json;
  readonly items: number;
}

/** AWS's limit of a batch's input. */
export const MAX_BATCH_BYTES = 256 * 1024;

/** A batch that cannot hold even one item. */
export class BatchTooLarge extends Error {
  constructor(bytes: number, limit: number) {
    super(`An item of ${bytes} bytes does not fit into a batch of at most ${limit} bytes.`);
    this.name = "States.Runtime";
  }
}

/** Groups `items` into batches; each item unbatched when there is no ItemBatcher. */
export async function* batches(items: AsyncIterable<Json>, batcher: BatcherSpec | undefined): AsyncGenerator<ChildInput> {
  if (batcher === undefined) {
    for await (const item of items) yield { input: item, items: 1 };
    return;
  }
  const maxItems = batcher.maxItems ?? Infinity;
  const maxBytes = Math.min(batcher.maxBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES);
  // Bytes of `{"Items":[]}` plus `,"BatchInput":...` when there is one.
  const base = 12 + (batcher.batchInput === undefined ? 0 : 14 + Buffer.byteLength(JSON.stringify(batcher.batchInput)));
  let batch: Json[] = [];
  let bytes = base;
  const make = (): ChildInput => ({
    input: batcher.batchInput === undefined ? { Items: batch } : { Items: batch, BatchInput: batcher.batchInput },
    items: batch.length,
  });
  for await (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + (batch.length > 0 ? 1 : 0);
    if (batch.length > 0 && (batch.length >= maxItems || bytes + size > maxBytes)) {
      yield make();
      batch = [];
      bytes = base;
    }
    const first = Buffer.byteLength(JSON.stringify(item));
    if (batch.length === 0 && base + first > maxBytes) throw new BatchTooLarge(base + first, maxBytes);
    bytes += batch.length === 0 ? first : size;
    batch.push(item);
  }
  if (batch.length > 0) yield make();
}
