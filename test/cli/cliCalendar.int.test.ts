import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { ScanReport } from '../../cli/report.js';
import { repoRoot } from '../support/repoRoot.js';

const run = promisify(execFile);

/**
 * The CLI's calendar and usage errors, as a user runs it (bin/esu-scan.js); apart from cli.int.test.ts, whose
 * tests share one data folder in order, so the two files run side by side.
 */
describe('esu-scan CLI: the calendar and usage errors', () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ESU_LOCAL_DATA_DIR: join(work, 'azurite') };
  for (const name of ['ESU_STORAGE', 'ESU_STORAGE__tableServiceUri', 'ESU_SERVICEBUS', 'ESU_SERVICEBUS__fullyQualifiedNamespace', 'ESU_SUBSCRIPTION_IDS']) delete env[name];
  const cli = (...args: string[]) => run(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), ...args], { env, cwd: work, maxBuffer: 16 * 1024 * 1024 });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('--as-of shows the calendar: 2026-09-01 and 2027-01-13 differ as the calendar says', async () => {
    const scanAsOf = async (day: string) => {
      const reportFile = join(work, `report-${day}.json`);
      const { stdout } = await run(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), 'scan', '--estate', join(repoRoot(), 'samples', 'estate'), '--report', reportFile, '--as-of', day], {
        env: { ...env, ESU_LOCAL_DATA_DIR: join(work, `azurite-${day}`) }, cwd: work, maxBuffer: 16 * 1024 * 1024,
      });
      return { stdout, report: JSON.parse(readFileSync(reportFile, 'utf8')) as ScanReport };
    };
    // Each day has its own data folder, so the two scans run side by side.
    const [before, after2016] = await Promise.all([scanAsOf('2026-09-01'), scanAsOf('2027-01-13')]);
    const ids = (report: ScanReport, name: string) => report.findings.filter((f) => f.resourceName === name).map((f) => f.messageId);
    assert.ok(ids(before.report, 'app-2012r2-04').includes('Enrolled.Failed.NotAssigned'));
    assert.ok(ids(after2016.report, 'app-2012r2-04').includes('LegacyOs.Failed.EsuEnded'));
    assert.ok(ids(before.report, 'ws16-app-02').includes('AgentVersion.PassedWithWarning.BelowMinimumBeforeDeadline'));
    assert.ok(ids(after2016.report, 'ws16-app-02').includes('AgentVersion.Failed.BelowMinimum'));
    assert.equal(after2016.report.summary.evaluatedAsOf, '2027-01-13T00:00:00.000Z');
    assert.deepEqual(after2016.report.summary.programs.map((p) => [p.id, p.phase]), [['WS2008', 'ended'], ['WS2012', 'ended'], ['WS2016', 'active']]);
    assert.match(after2016.stdout, /WS2016 +Windows Server 2016 +ESU active until 8 January 2030/);
    await assert.rejects(cli('scan', '--estate', join(repoRoot(), 'samples', 'estate'), '--as-of', '2027-02-30'), (error: { stderr?: string }) => /must be a date YYYY-MM-DD/.test(error.stderr ?? ''));
  });

  it('an unknown option is a clear usage error', async () => {
    await assert.rejects(cli('findings', '--result', 'Bogus'), (error: { stderr?: string }) => /Allowed choices are Passed, PassedWithWarning, Failed, Error/.test(error.stderr ?? ''));
  });
});
