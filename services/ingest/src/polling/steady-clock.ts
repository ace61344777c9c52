/**
 * `now` that never goes back: a wall clock set back (NTP stepping a host that ran ahead) stands
 * still there instead, and runs on from it. Waits measured on the wall clock would otherwise last
 * as long as the step, and a leaky bucket drained by it would fill by as much.
 */
export function steadyClock(now: () => number): () => number {
  let last = -Infinity;
  let behind = 0;
  return () => {
    const t = now() + behind;
    if (t < last) {
      behind += last - t;
      return last;
    }
    last = t;
    return t;
  };
}
