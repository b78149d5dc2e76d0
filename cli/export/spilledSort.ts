/**
 * A sort that holds at most `runSize` items: each full run is sorted and written to a file of its own (one JSON
 * line an item), and reading merges the runs. The export sorts a tenant's findings, machines and jobs this way,
 * so its memory does not grow with the tenant. Equal items keep the order they were added in (as
 * `Array.prototype.sort`). Reading is synchronous, so one sorted list serves the HTML generator and the
 * workbook alike, and can be read again.
 */
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Items in memory before a run is written: about 2 KB each for a finding with its evidence. */
const RUN_SIZE = 5_000;
const READ_CHUNK = 1 << 16;

type Entry<T> = readonly [sequence: number, item: T];

export class SpilledSort<T> implements Iterable<T> {
  private buffer: Entry<T>[] = [];
  private readonly runs: string[] = [];
  private added = 0;

  /** `dir`: an empty folder of the caller's, removed by the caller; runs are named `${name}-N.jsonl` in it. */
  constructor(private readonly compare: (a: T, b: T) => number, private readonly dir: string, private readonly name: string, private readonly runSize = RUN_SIZE) {}

  get size(): number {
    return this.added;
  }

  add(item: T): void {
    this.buffer.push([this.added, item]);
    this.added += 1;
    if (this.buffer.length >= this.runSize) this.spill();
  }

  *[Symbol.iterator](): Iterator<T> {
    // Items that fit in one run are never written.
    if (this.runs.length === 0) {
      yield* this.sortedBuffer().map(([, item]) => item);
      return;
    }
    if (this.buffer.length > 0) this.spill();
    const readers = this.runs.map((file) => lines<Entry<T>>(file));
    const heads = readers.map((reader) => reader.next());
    try {
      for (;;) {
        let best = -1;
        for (let index = 0; index < heads.length; index += 1) {
          const head = heads[index];
          if (!head || head.done) continue;
          const current = best < 0 ? undefined : heads[best];
          if (!current || current.done || this.order(head.value, current.value) < 0) best = index;
        }
        const chosen = best < 0 ? undefined : heads[best];
        if (!chosen || chosen.done) return;
        yield chosen.value[1];
        heads[best] = readers[best]!.next();
      }
    } finally {
      for (const reader of readers) reader.return(undefined);
    }
  }

  private order(a: Entry<T>, b: Entry<T>): number {
    return this.compare(a[1], b[1]) || a[0] - b[0];
  }

  private sortedBuffer(): Entry<T>[] {
    return this.buffer.sort((a, b) => this.order(a, b));
  }

  private spill(): void {
    const file = join(this.dir, `${this.name}-${this.runs.length}.jsonl`);
    const fd = openSync(file, 'w');
    try {
      let text = '';
      for (const entry of this.sortedBuffer()) {
        // JSON escapes line breaks inside strings, so a line is an item.
        text += `${JSON.stringify(entry)}\n`;
        if (text.length > READ_CHUNK) {
          writeFileSync(fd, text);
          text = '';
        }
      }
      writeFileSync(fd, text);
    } finally {
      closeSync(fd);
    }
    this.runs.push(file);
    this.buffer = [];
  }
}

/** The JSON lines of a file, read a chunk at a time; a line is cut from bytes, so a character split over two chunks stays whole. */
function* lines<T>(file: string): Generator<T, void, undefined> {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(READ_CHUNK);
    let rest = Buffer.alloc(0);
    for (;;) {
      const read = readSync(fd, chunk, 0, READ_CHUNK, null);
      if (read === 0) break;
      let data = Buffer.concat([rest, chunk.subarray(0, read)]);
      let end = data.indexOf(0x0a);
      while (end >= 0) {
        yield JSON.parse(data.toString('utf8', 0, end)) as T;
        data = data.subarray(end + 1);
        end = data.indexOf(0x0a);
      }
      rest = Buffer.from(data);
    }
    if (rest.length > 0) yield JSON.parse(rest.toString('utf8')) as T;
  } finally {
    closeSync(fd);
  }
}
