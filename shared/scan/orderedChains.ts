/**
 * Reads several paged chains at once and yields their items in chain order: all of the first chain, then
 * the second, and so on, whatever order the reads finish in (so what rules see depends on the data, not on
 * timing). At most `concurrency` chains are being read, each at most `lookahead` items ahead of the caller.
 * A chain's error surfaces when the caller reaches that chain; stopping early stops every read.
 */
export async function* orderedChains<T>(chains: readonly (() => AsyncIterable<T>)[], options: { concurrency: number; lookahead: number }): AsyncIterable<T> {
  const readers: ChainReader<T>[] = [];
  const startUpTo = (count: number): void => {
    while (readers.length < Math.min(count, chains.length)) {
      const chain = chains[readers.length];
      if (chain) readers.push(new ChainReader(chain, options.lookahead));
    }
  };
  try {
    for (let index = 0; index < chains.length; index += 1) {
      startUpTo(index + Math.max(1, options.concurrency));
      const reader = readers[index];
      if (!reader) break;
      for (;;) {
        const next = await reader.take();
        if (next.done) break;
        yield next.value;
      }
    }
  } finally {
    for (const reader of readers) reader.stop();
  }
}

/** One chain being read into a small buffer; the reader waits while the buffer is full. */
class ChainReader<T> {
  private readonly buffer: T[] = [];
  private finished = false;
  private failure: { error: unknown } | undefined;
  private stopped = false;
  private wakeReader: (() => void) | undefined;
  private wakeTaker: (() => void) | undefined;

  constructor(chain: () => AsyncIterable<T>, private readonly lookahead: number) {
    void this.run(chain);
  }

  private async run(chain: () => AsyncIterable<T>): Promise<void> {
    try {
      for await (const item of chain()) {
        this.buffer.push(item);
        this.wakeTaker?.();
        while (this.buffer.length >= this.lookahead && !this.stopped) await new Promise<void>((resolve) => (this.wakeReader = resolve));
        if (this.stopped) return;
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.finished = true;
      this.wakeTaker?.();
    }
  }

  async take(): Promise<IteratorResult<T>> {
    while (this.buffer.length === 0 && !this.finished) await new Promise<void>((resolve) => (this.wakeTaker = resolve));
    if (this.buffer.length > 0) {
      const value = this.buffer.shift() as T;
      this.wakeReader?.();
      return { done: false, value };
    }
    if (this.failure) throw this.failure.error;
    return { done: true, value: undefined };
  }

  stop(): void {
    this.stopped = true;
    this.wakeReader?.();
  }
}
