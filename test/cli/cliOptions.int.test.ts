import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { ScanReport } from '../../cli/report.js';
import { findingMatches } from '../../cli/commands/findings.js';
import { parseExpiry } from '../../cli/commands/suppress.js';
import { EXPORT_HINT } from '../../cli/commands/scan.js';
import { buildProgram } from '../../cli/main.js';
import { repoRoot } from '../support/repoRoot.js';

const run = promisify(execFile);

describe('the CLI a person types', () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-options-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ESU_LOCAL_DATA_DIR: join(work, 'azurite') };
  for (const name of ['ESU_STORAGE', 'ESU_STORAGE__tableServiceUri', 'ESU_SERVICEBUS', 'ESU_SERVICEBUS__fullyQualifiedNamespace', 'ESU_SUBSCRIPTION_IDS']) delete env[name];
  const cli = (...args: string[]) => run(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), ...args], { env, cwd: work, maxBuffer: 16 * 1024 * 1024 });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('--version prints the package version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string };
    assert.equal((await cli('--version')).stdout.trim(), version);
  });

  it('suppress --expires names a day the calendar lacks, instead of calling it past', async () => {
    const now = new Date('2026-12-07T00:00:00Z');
    assert.throws(() => parseExpiry('2027-02-31', now), /2027-02-31 is not a day of the calendar \(that month has 28 days\)/);
    assert.throws(() => parseExpiry('2028-02-30T10:00:00Z', now), /that month has 29 days/);
    assert.equal(parseExpiry('2028-02-29', now), '2028-02-29T23:59:59.000Z');
    assert.throws(() => parseExpiry('2026-01-31', now), /must be in the future/);
    await assert.rejects(cli('suppress', 'add', '--rule', 'X', '--reason', 'r', '--owner', 'o', '--expires', '2026-02-31'),
      (error: { code?: number; stderr?: string }) => error.code === 2 && /not a day of the calendar/.test(error.stderr ?? '') && !/future/.test(error.stderr ?? ''));
  });

  it('findingMatches: names and groups in any case, a full id, a program from the evidence', () => {
    const row = { resourceId: '/subscriptions/s/resourceGroups/RG-App/providers/Microsoft.HybridCompute/machines/Web-01', resourceName: 'Web-01', resourceGroup: 'RG-App', evidence: { program: 'WS2016' } };
    assert.ok(findingMatches(row, { resource: 'web-01', resourceGroup: 'rg-app', program: 'ws2016' }));
    assert.ok(findingMatches(row, { resource: row.resourceId.toLowerCase() }));
    assert.ok(!findingMatches(row, { resource: 'web-02' }));
    assert.ok(!findingMatches(row, { resourceGroup: 'rg-other' }));
    assert.ok(!findingMatches(row, { program: 'WS2012' }));
    assert.ok(!findingMatches({ ...row, evidence: {} }, { program: 'WS2016' }));
  });

  it('findings --resource, --resource-group and --program narrow the stored findings', async () => {
    const { stdout } = await cli('scan', '--estate', join(repoRoot(), 'samples', 'estate'), '--quiet', '--as-of', '2026-12-07', '--report', join(work, 'report.json'));
    // `npm start` runs this scan: it says how to get the workbook and the HTML report, with a command that parses.
    assert.ok(stdout.includes(EXPORT_HINT));
    const hinted = /npx esu-scan (export .*?) \(Excel workbook\) (--html \S+)/.exec(EXPORT_HINT);
    assert.ok(hinted);
    const parsed = buildProgram().commands.find((command) => command.name() === 'export')!.parseOptions([...(hinted[1] ?? '').split(' ').slice(1), ...(hinted[2] ?? '').split(' ')]);
    assert.deepEqual(parsed.unknown, []);
    const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')) as ScanReport;
    const stored = report.findings.filter((finding) => finding.result !== 'Passed');
    const query = async (...args: string[]) => JSON.parse((await cli('findings', '--format', 'json', ...args)).stdout) as { resourceId: string }[];
    const machine = stored.find((finding) => finding.resourceType === 'Microsoft.HybridCompute/machines')!;
    const byName = await query('--resource', machine.resourceName.toUpperCase());
    assert.equal(byName.length, stored.filter((finding) => finding.resourceName.toLowerCase() === machine.resourceName.toLowerCase()).length);
    assert.equal((await query('--resource', machine.resourceId)).length, stored.filter((finding) => finding.resourceId === machine.resourceId).length);
    assert.equal((await query('--resource-group', machine.resourceGroup.toUpperCase())).length, stored.filter((finding) => finding.resourceGroup.toLowerCase() === machine.resourceGroup.toLowerCase()).length);
    const ws2016 = await query('--program', 'WS2016');
    assert.ok(ws2016.length > 0);
    assert.equal(ws2016.length, stored.filter((finding) => finding.evidence['program'] === 'WS2016').length);
  });
});
