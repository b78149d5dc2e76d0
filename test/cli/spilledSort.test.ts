import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SpilledSort } from '../../cli/export/spilledSort.js';

interface Item { readonly name: string; readonly added: number }

describe('SpilledSort: a sort that holds a run at a time', () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-spill-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const byName = (a: Item, b: Item): number => a.name.localeCompare(b.name);
  // Names that sort differently by code unit and by locale, repeat (stability), hold line breaks, quotes and
  // characters outside the BMP, and one longer than a read chunk (a character split over two chunks).
  const names = ['b', 'B', 'a', 'ä', 'Z', 'line\nbreak', '"quoted"', '😀 emoji', 'b', `${'é'.repeat(40_000)}😀end`, '', 'a', 'é', 'e', 'E'];
  const items = Array.from({ length: 60 }, (_, index): Item => ({ name: names[(index * 7) % names.length] ?? '', added: index }));

  it('reads the items in the order Array.prototype.sort gives (equal items as added), from several run files', () => {
    const dir = mkdtempSync(join(work, 'runs-'));
    const sorted = new SpilledSort<Item>(byName, dir, 'items', 4);
    for (const item of items) sorted.add(item);
    assert.equal(sorted.size, items.length);
    const expected = [...items].sort(byName);
    assert.deepEqual([...sorted], expected);
    assert.ok(readdirSync(dir).length >= items.length / 4, 'the runs were written to files');
    assert.deepEqual([...sorted], expected, 'read again, the same');
  });

  it('a reader that stops early closes its files; few items never touch the disk', () => {
    const dir = mkdtempSync(join(work, 'small-'));
    const sorted = new SpilledSort<Item>(byName, dir, 'items', 4);
    for (const item of items) sorted.add(item);
    for (const item of sorted) if (item.added >= 0) break;
    assert.deepEqual([...sorted].slice(0, 3), [...items].sort(byName).slice(0, 3));
    const fits = new SpilledSort<Item>(byName, mkdtempSync(join(work, 'fits-')), 'items', 100);
    for (const item of items) fits.add(item);
    assert.deepEqual([...fits], [...items].sort(byName));
    assert.deepEqual(readdirSync(join(work, readdirSync(work).find((name) => name.startsWith('fits-')) ?? '')), []);
  });
});
