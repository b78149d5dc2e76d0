import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readAhead, readNow } from '../../shared/scan/readAhead.js';

/** Pages that say when each read started and can fail on a given page. */
function pages(count: number, failAt?: number): { source: AsyncIterable<number>; started: number[] } {
  const started: number[] = [];
  async function* source(): AsyncIterable<number> {
    for (let page = 1; page <= count; page += 1) {
      started.push(page);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (page === failAt) throw new Error(`page ${page} failed`);
      yield page;
    }
  }
  return { source: source(), started };
}

describe('reading ahead', () => {
  it('starts the first read at once and the next while the caller works on the current one', async () => {
    const { source, started } = pages(3);
    const reader = readAhead(source);
    await new Promise((resolve) => setTimeout(resolve, 1));
    assert.deepEqual(started, [1], 'page 1 is requested before anyone asks');
    assert.deepEqual(await reader.next(), { done: false, value: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1));
    assert.deepEqual(started, [1, 2], 'page 2 is on its way while page 1 is processed');
    assert.deepEqual(await reader.next(), { done: false, value: 2 });
    assert.deepEqual(await reader.next(), { done: false, value: 3 });
    assert.equal((await reader.next()).done, true);
    assert.deepEqual(started, [1, 2, 3], 'never more than one read in flight, nothing read twice');
  });

  it('hands a read error to the caller when it asks for that page', async () => {
    const { source } = pages(3, 2);
    const reader = readAhead(source);
    assert.deepEqual(await reader.next(), { done: false, value: 1 });
    await assert.rejects(reader.next(), /page 2 failed/);
  });

  it('does not crash the process when the caller stops before a failing read is awaited', async () => {
    const { source } = pages(3, 2);
    const reader = readAhead(source);
    await reader.next(); // page 2 now fails in the background, unawaited
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Reaching here without an unhandled rejection is the test (node:test fails the file otherwise).
  });

  it('keeps the outcome of a read started early, success or failure', async () => {
    const ok = readNow(async () => 42);
    const failed = readNow(async () => {
      throw new Error('403');
    });
    assert.deepEqual(await ok, { ok: true, value: 42 });
    const outcome = await failed;
    assert.equal(outcome.ok, false);
    assert.match(String((outcome as { error: unknown }).error), /403/);
  });
});
