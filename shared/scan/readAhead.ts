/**
 * Reads ahead: the next item is being fetched while the caller works on the current one, so a
 * subscription's machine pages and the rules/storage work on them overlap instead of taking turns.
 * At most one read is in flight; a read error surfaces when the caller asks for that item.
 */
export function readAhead<T>(source: AsyncIterable<T>): AsyncIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = start(iterator.next());
  return {
    async next(): Promise<IteratorResult<T>> {
      const result = await pending;
      if (!result.done) pending = start(iterator.next());
      return result;
    },
  };
}

/** Started now; a rejection nobody awaited yet (the caller stopped early) must not crash the process. */
function start<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** Starts a read now and keeps its outcome for later, so that an error is handled where it is used. */
export function readNow<T>(read: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return read().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}
