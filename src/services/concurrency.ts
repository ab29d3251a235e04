/** Runs at most `limit` of the given jobs at a time, in the order they came. */
export function limitConcurrency(limit: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    // A waiting job inherits the slot of the one that finishes, so the limit holds at every moment.
    if (running >= limit) await new Promise<void>((start) => waiting.push(start));
    else running++;
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
