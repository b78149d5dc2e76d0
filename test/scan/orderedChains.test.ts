import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { orderedChains } from '../../shared/scan/orderedChains.js';

/** A chain of `pages` items named `name:n`, each after `delayMs`, counting reads in flight. */
function chain(name: string, pages: number, delayMs: number, gauge: { now: number; most: number; reads: number }, failAt?: number) {
  return async function* pagesOf(): AsyncIterable<string> {
    for (let page = 0; page < pages; page += 1) {
      gauge.now += 1;
      gauge.most = Math.max(gauge.most, gauge.now);
      await sleep(delayMs);
      gauge.now -= 1;
      gauge.reads += 1;
      if (page === failAt) throw new Error(`${name} failed at page ${page}`);
      yield `${name}:${page}`;
    }
  };
}

const gauge = () => ({ now: 0, most: 0, reads: 0 });

describe('orderedChains: parallel reads, items in chain order', () => {
  it('yields every chain whole and in order, whichever read finishes first', async () => {
    const g = gauge();
    const chains = [chain('a', 3, 15, g), chain('b', 2, 1, g), chain('c', 1, 5, g), chain('d', 0, 1, g), chain('e', 2, 2, g)];
    const items: string[] = [];
    for await (const item of orderedChains(chains, { concurrency: 3, lookahead: 2 })) items.push(item);
    assert.deepEqual(items, ['a:0', 'a:1', 'a:2', 'b:0', 'b:1', 'c:0', 'e:0', 'e:1']);
    assert.ok(g.most > 1, `reads overlapped (${g.most} at once)`);
    assert.ok(g.most <= 3, `at most 3 chains read at once (${g.most})`);
  });

  it('surfaces a chain\'s error after the items before it, when the caller reaches that chain', async () => {
    const g = gauge();
    const items: string[] = [];
    await assert.rejects(async () => {
      for await (const item of orderedChains([chain('a', 2, 5, g), chain('b', 3, 1, g, 1), chain('c', 2, 1, g)], { concurrency: 3, lookahead: 2 })) items.push(item);
    }, /b failed at page 1/);
    assert.deepEqual(items, ['a:0', 'a:1', 'b:0']);
  });

  it('stops every read when the caller stops early, and reads no chain more than its lookahead ahead', async () => {
    const g = gauge();
    const chains = Array.from({ length: 6 }, (_, n) => chain(`c${n}`, 10, 1, g));
    for await (const item of orderedChains(chains, { concurrency: 4, lookahead: 2 })) {
      if (item === 'c0:1') break;
    }
    await sleep(50);
    // c0 read its 2 pages (+ at most its lookahead), c1..c3 at most lookahead + 1 each; c4, c5 never started.
    assert.ok(g.reads <= 4 * 3 + 1, `reads after an early stop: ${g.reads}`);
    assert.equal(g.now, 0, 'no read left in flight');
  });
});
