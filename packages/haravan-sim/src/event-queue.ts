interface Entry {
  at: number;
  seq: number;
  run: () => void;
}

/** Min-heap of timed actions; equal times run in scheduling order, so a life replays identically. */
export interface EventQueue {
  schedule(at: number, run: () => void): void;
  /** Runs every action, including ones scheduled while running, in time order. */
  drain(beforeEach: (at: number) => void): number;
}

export function createEventQueue(): EventQueue {
  const heap: Entry[] = [];
  let seq = 0;
  const less = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  const swap = (i: number, j: number) => {
    const t = heap[i] as Entry;
    heap[i] = heap[j] as Entry;
    heap[j] = t;
  };
  const pop = (): Entry | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l] as Entry, heap[m] as Entry)) m = l;
        if (r < heap.length && less(heap[r] as Entry, heap[m] as Entry)) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
    return top;
  };
  return {
    schedule(at, run) {
      heap.push({ at, seq: seq++, run });
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!less(heap[i] as Entry, heap[parent] as Entry)) break;
        swap(i, parent);
        i = parent;
      }
    },
    drain(beforeEach) {
      let count = 0;
      for (let entry = pop(); entry; entry = pop()) {
        beforeEach(entry.at);
        entry.run();
        count++;
      }
      return count;
    },
  };
}
