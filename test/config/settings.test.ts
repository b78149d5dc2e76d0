import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { readSetting, SETTINGS } from '../../shared/config/settings.js';
import { repoRoot } from '../support/repoRoot.js';

function sources(folder: string): string[] {
  return readdirSync(folder, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => join(folder, f));
}

describe('settings', () => {
  it('only shared/config/settings.ts reads process.env, so SETTINGS is the complete list infra must cover', () => {
    const root = repoRoot();
    const readers = ['functions', 'shared', 'cli'].flatMap((folder) => sources(join(root, folder)))
      .filter((file) => /process\.env\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file).split('\\').join('/'));
    assert.deepEqual(readers, ['shared/config/settings.ts']);
  });
  it('every other setting name in the code comes from SETTINGS', () => {
    const root = repoRoot();
    const names = new Set<string>(Object.values(SETTINGS).map((s) => s.name));
    const literal = /['"`](ESU_[A-Z_]+(?:__[A-Za-z]+)?|AZURE_[A-Z_]+)['"`]/g;
    for (const file of ['functions', 'shared', 'cli'].flatMap((folder) => sources(join(root, folder)))) {
      for (const match of readFileSync(file, 'utf8').matchAll(literal)) {
        assert.ok(names.has(match[1] ?? ''), `${relative(root, file)} names ${match[1]}, which is not declared in SETTINGS`);
      }
    }
  });
  it('blank values fall back to the default', () => {
    assert.equal(readSetting({ ESU_REMEDIATION_TOPIC: '  ' }, 'remediationTopic'), 'esu-remediation');
    assert.equal(readSetting({ ESU_REMEDIATION_TOPIC: 'other' }, 'remediationTopic'), 'other');
    assert.equal(readSetting({}, 'storageTableUri'), undefined);
  });
});

describe('host.json', () => {
  it('retries a queue message as often as the scan handler assumes, and lets a run finish within the claim timeout', async () => {
    const { MAX_DEQUEUE_COUNT } = await import('../../shared/adapters/functions/subscriptionScanHandler.js');
    const { CLAIM_TIMEOUT_MS } = await import('../../shared/adapters/tables/scanRunStore.js');
    const host = JSON.parse(readFileSync(join(repoRoot(), 'host.json'), 'utf8')) as HostJson;
    assert.equal(host.extensions?.queues?.maxDequeueCount, MAX_DEQUEUE_COUNT);
    const [hours = 0, minutes = 0, seconds = 0] = (host.functionTimeout ?? '').split(':').map(Number);
    const functionTimeoutMs = ((hours * 60 + minutes) * 60 + seconds) * 1000;
    assert.ok(functionTimeoutMs < CLAIM_TIMEOUT_MS, 'a finisher still running is never taken over');
    const { FUNCTION_TIMEOUT_MS } = await import('../../shared/config/hostLimits.js');
    assert.equal(functionTimeoutMs, FUNCTION_TIMEOUT_MS, 'the claim timeout follows the function timeout');
    assert.ok(functionTimeoutMs <= 60 * 60_000, 'Flex Consumption lets an execution finish for at most 60 minutes on scale-in');
  });

  it('runs at most two scans per instance and never samples failures away', () => {
    const host = JSON.parse(readFileSync(join(repoRoot(), 'host.json'), 'utf8')) as HostJson;
    const queues = host.extensions?.queues ?? {};
    // The host runs up to batchSize + newBatchThreshold messages at once per instance (docs/deploy.md: memory).
    assert.equal((queues.batchSize ?? 16) + (queues.newBatchThreshold ?? 8), 2);
    const excluded = (host.logging?.applicationInsights?.samplingSettings?.excludedTypes ?? '').split(';');
    assert.ok(excluded.includes('Exception') && excluded.includes('Request'), excluded.join(';'));
  });
});

interface HostJson {
  readonly functionTimeout?: string;
  readonly extensions?: { readonly queues?: { readonly maxDequeueCount?: number; readonly batchSize?: number; readonly newBatchThreshold?: number } };
  readonly logging?: { readonly applicationInsights?: { readonly samplingSettings?: { readonly excludedTypes?: string } } };
}
