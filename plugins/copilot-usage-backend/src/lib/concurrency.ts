/** Small helpers to bound and order async work. */

/** A queue that runs the functions given to it one at a time, in order. */
export function writeQueue(): <T>(fn: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  };
}

/** Runs `fn` on every item with at most `limit` running at once, while `mayStart` allows. */
export async function forEachLimited<T>(
  items: T[],
  limit: number,
  mayStart: () => boolean,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length && mayStart()) {
        await fn(items[next++]);
      }
    },
  );
  await Promise.all(workers);
}
