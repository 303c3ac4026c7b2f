/** A due-time ordered queue of timers (binary heap); cancelled timers are dropped lazily. */
interface HeapEntry {
  readonly id: string;
  readonly dueAt: number;
  readonly seq: number;
}

export class TimerQueue {
  private heap: HeapEntry[] = [];
  private live = new Map<string, number>();
  private seq = 0;

  /** Schedules (or reschedules) timer `id` at `dueAt` ms. */
  add(id: string, dueAt: number): void {
    const seq = ++this.seq;
    this.live.set(id, seq);
    this.heap.push({ id, dueAt, seq });
    this.siftUp(this.heap.length - 1);
  }

  /** Forgets timer `id`. */
  cancel(id: string): void {
    this.live.delete(id);
  }

  get size(): number {
    return this.live.size;
  }

  /** The earliest live timer, without removing it. */
  peek(): { id: string; dueAt: number } | undefined {
    this.dropDead();
    return this.heap[0];
  }

  /** Removes and returns the earliest live timer. */
  pop(): { id: string; dueAt: number } | undefined {
    this.dropDead();
    const top = this.heap[0];
    if (!top) return undefined;
    this.removeTop();
    this.live.delete(top.id);
    return top;
  }

  private dropDead(): void {
    for (let top = this.heap[0]; top !== undefined; top = this.heap[0]) {
      if (this.live.get(top.id) === top.seq) return;
      this.removeTop();
    }
  }

  private removeTop(): void {
    const last = this.heap.pop();
    if (last === undefined || this.heap.length === 0) return;
    this.heap[0] = last;
    this.siftDown(0);
  }

  private less(a: number, b: number): boolean {
    const x = this.at(a);
    const y = this.at(b);
    return x.dueAt < y.dueAt || (x.dueAt === y.dueAt && x.seq < y.seq);
  }

  /** The entry at heap index `i`; the sift loops only ask for indexes below the heap's length. */
  private at(i: number): HeapEntry {
    const entry = this.heap[i];
    if (entry === undefined) throw new Error(`timer queue: no entry at ${i} of ${this.heap.length}`);
    return entry;
  }

  private swap(i: number, j: number): void {
    const x = this.at(i);
    this.heap[i] = this.at(j);
    this.heap[j] = x;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
