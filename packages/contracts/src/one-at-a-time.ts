export type Turns = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * Runs the work given to it one piece at a time, in the order given: each starts once the one
 * before has settled, and a failure is its caller's alone.
 */
export function oneAtATime(): Turns {
  let last: Promise<unknown> = Promise.resolve();
  return (work) => {
    const turn = last.then(work);
    last = turn.catch(() => undefined);
    return turn;
  };
}
