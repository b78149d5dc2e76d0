import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyOperatingSystem } from '../../shared/domain/operatingSystem.js';
import { asNumber } from '../../shared/domain/read.js';
import { compareVersions, parseAgentVersion } from '../../shared/domain/versions.js';
import { decodeKey, encodeKey, findingRowKey, MAX_KEY_CHARS } from '../../shared/adapters/tables/tableKeys.js';

describe('agent versions', () => {
  const cases: [unknown, number[] | undefined][] = [
    ['1.34.02345.1234', [1, 34, 2345, 1234]], ['1.34', [1, 34]], [' 1.50.1 ', [1, 50, 1]],
    ['', undefined], ['1', undefined], ['1.x', undefined], ['v1.34', undefined], ['1.34.0.0.0', undefined], [null, undefined], [134, undefined],
  ];
  for (const [raw, expected] of cases) it(`parses ${JSON.stringify(raw)}`, () => assert.deepEqual(parseAgentVersion(raw), expected));
  it('compares numerically with missing parts as zero', () => {
    assert.ok(compareVersions([1, 4], [1, 34]) < 0);
    assert.equal(compareVersions([1, 34], [1, 34, 0, 0]), 0);
    assert.ok(compareVersions([2, 0], [1, 99, 9999]) > 0);
  });
});

describe('operating system families', () => {
  const cases: [Record<string, string | undefined>, string][] = [
    [{ osName: 'Windows Server 2012 R2 Datacenter' }, 'WindowsServer2012R2'],
    [{ osName: 'Microsoft Windows Server 2012 Standard' }, 'WindowsServer2012'],
    [{ osName: 'Windows Storage Server 2012 R2 Workgroup' }, 'WindowsServer2012R2'], // the edition (Storage Server) is editionOf's
    [{ osName: 'Windows Server 2008 R2 Enterprise' }, 'LegacyWindows'],
    [{ osName: 'Windows Server 2019 Datacenter' }, 'Other'],
    [{ osType: 'windows', osVersion: '6.3.9600' }, 'WindowsServer2012R2'],
    [{ osType: 'Windows', osVersion: '6.2.9200' }, 'WindowsServer2012'],
    [{ osType: 'linux', osVersion: '6.3.1' }, 'Other'],
    [{}, 'Unknown'],
  ];
  for (const [machine, family] of cases) it(`${JSON.stringify(machine)} → ${family}`, () => assert.equal(classifyOperatingSystem(machine), family));
});

describe('table keys', () => {
  it('escapes every character Table Storage forbids and round-trips', () => {
    const id = '/subscriptions/S/resourceGroups/rg#1/providers/X/machines/a?b\\c~d\u0001';
    const key = encodeKey(id);
    // eslint-disable-next-line no-control-regex -- asserting control characters are gone
    assert.doesNotMatch(key, /[/\\#?\u0000-\u001f]/);
    assert.equal(decodeKey(key), id);
  });
  it('is injective where a naive replacement would collide', () => {
    assert.notEqual(encodeKey('a/b'), encodeKey('a~2Fb'));
  });
  it('row keys ignore resource id casing', () => {
    assert.equal(findingRowKey('R', '/subscriptions/A/x'), findingRowKey('R', '/SUBSCRIPTIONS/a/X'));
  });
  it('escapes lone surrogates (no URL can carry them), keeps pairs, and round-trips', () => {
    const id = 'a\ud800b\udc00c\ud83d\ude00';
    const key = encodeKey(id);
    assert.equal(key, 'a~UD800b~UDC00c\ud83d\ude00');
    assert.doesNotThrow(() => encodeURIComponent(key));
    assert.equal(decodeKey(key), id);
  });
  it('hashes keys over the limit: short, stable, distinct, never ending in half a pair', () => {
    const long = (tail: string) => findingRowKey('R', `/subscriptions/s/machines/${'\ud83d\ude00'.repeat(300)}${tail}`);
    assert.ok(long('a').length <= MAX_KEY_CHARS);
    assert.equal(long('a'), long('A'));
    assert.notEqual(long('a'), long('b'));
    assert.doesNotThrow(() => encodeURIComponent(long('a')));
    assert.equal(findingRowKey('R', '/short'), 'R~7C~2Fshort', 'short keys are as before');
  });
});

describe('tolerant number reading', () => {
  for (const [raw, expected] of [['16', 16], [16, 16], ['16 cores', undefined], [Number.NaN, undefined], [null, undefined], ['', undefined]] as const) {
    it(`reads ${JSON.stringify(raw)}`, () => assert.equal(asNumber(raw), expected));
  }
});
