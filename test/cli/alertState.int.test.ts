/**
 * `alerts export` / `alerts import` through the CLI as a user runs it: an account rebuilt from the export
 * (a fresh local Azurite) decides no transition on the next scan, so nothing re-opens; without the import
 * the same scan opens every alert again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ScanReport } from '../../cli/report.js';
import { repoRoot } from '../support/repoRoot.js';
import { startCliSession, type CliSession } from '../support/cliSession.js';

describe('esu-scan alerts export and import', () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-alert-state-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  // One CLI process per data folder runs that folder's commands one after another (test/support/cliSession.ts).
  const sessions: CliSession[] = [];
  after(() => Promise.all(sessions.map((session) => session.close())));
  const cliIn = (folder: string) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ESU_LOCAL_DATA_DIR: join(work, folder) };
    for (const name of ['ESU_STORAGE', 'ESU_STORAGE__tableServiceUri', 'ESU_SERVICEBUS', 'ESU_SERVICEBUS__fullyQualifiedNamespace', 'ESU_SUBSCRIPTION_IDS']) delete env[name];
    const session = startCliSession(env, work);
    sessions.push(session);
    return (...args: string[]) => session.run(...args);
  };
  const scan = async (cli: ReturnType<typeof cliIn>, name: string): Promise<ScanReport> => {
    const file = join(work, `${name}.json`);
    await cli('scan', '--estate', join(repoRoot(), 'samples', 'estate'), '--as-of', '2026-09-01', '--quiet', '--report', file);
    return JSON.parse(readFileSync(file, 'utf8')) as ScanReport;
  };
  const findingsOf = async (cli: ReturnType<typeof cliIn>) => JSON.parse((await cli('findings', '--format', 'json')).stdout) as { ruleId: string; resourceId: string }[];

  it('a rebuilt account opens nothing again; importing twice changes nothing', async () => {
    const old = cliIn('old');
    const first = await scan(old, 'first');
    assert.ok(first.messages.length > 10, 'the first scan opens alerts');
    const file = join(work, 'alert-state.jsonl');
    const exported = await old('alerts', 'export', '--output', file);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.match(exported.stdout, new RegExp(`Exported ${lines.length} stored row\\(s\\)`));
    assert.ok(lines.every((line) => ['findings', 'findingPartitions'].includes((JSON.parse(line) as { table: string }).table)));

    const rebuilt = cliIn('rebuilt');
    assert.match((await rebuilt('alerts', 'import', file)).stdout, new RegExp(`Imported ${lines.length} stored row\\(s\\)`));
    assert.match((await rebuilt('alerts', 'import', file)).stdout, new RegExp(`Imported ${lines.length} stored row\\(s\\)`));
    const key = (f: { ruleId: string; resourceId: string }) => `${f.ruleId}|${f.resourceId}`;
    assert.deepEqual((await findingsOf(rebuilt)).map(key).sort(), (await findingsOf(old)).map(key).sort(), 'the same findings, once each');
    const next = await scan(rebuilt, 'rebuilt-scan');
    assert.deepEqual(next.messages.map((m) => `${m.transition} ${m.finding.ruleId}`), [], 'no alert re-opens');

    const fresh = await scan(cliIn('fresh'), 'fresh-scan');
    assert.equal(fresh.messages.length, first.messages.length, 'without the import every alert opens again');
  });

  it('names the line of a broken file', async () => {
    const file = join(work, 'broken.jsonl');
    writeFileSync(file, `${JSON.stringify({ table: 'findings', entity: { partitionKey: 'p', rowKey: 'r', result: 'Failed' } })}\n{"table":"plans","entity":{}}\n`);
    await assert.rejects(cliIn('broken')('alerts', 'import', file), (e: { code?: number; stderr?: string }) => e.code === 2 && /line 2 is not an alert-state record: unknown table "plans"/.test(e.stderr ?? ''));
  });
});
