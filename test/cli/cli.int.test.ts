import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { ScanReport } from '../../cli/report.js';
import { repoRoot } from '../support/repoRoot.js';
import { startAmqpPeer } from '../../local/amqpPeer.js';
import { startAzurite, type RunningAzurite } from '../../local/azurite.js';
import { startCliSession, type CliSession } from '../support/cliSession.js';
import { applicationPropertiesOf } from '../../shared/alerts/message.js';

const run = promisify(execFile);

/** Runs the CLI as a user would (`npx esu-scan` = bin/esu-scan.js), with its own local data folder. */
describe('esu-scan CLI on the bundled sample estate', () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ESU_LOCAL_DATA_DIR: join(work, 'azurite') };
  for (const name of ['ESU_STORAGE', 'ESU_STORAGE__tableServiceUri', 'ESU_SERVICEBUS', 'ESU_SERVICEBUS__fullyQualifiedNamespace', 'ESU_SUBSCRIPTION_IDS']) delete env[name];
  const cli = (...args: string[]) => run(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), ...args], { env, cwd: work, maxBuffer: 16 * 1024 * 1024 });
  // The suppress commands run against a configured account (ESU_STORAGE, as in Azure), here an Azurite of this file,
  // in one CLI process (test/support/cliSession.ts): the many short commands below start no Node and no Azurite
  // each. The commands above and below run bin/esu-scan.js as a user does.
  let account: RunningAzurite | undefined;
  let session: CliSession | undefined;
  before(async () => {
    account = await startAzurite({ service: 'table' });
    session = startCliSession({ ...env, ESU_STORAGE: account.connectionString }, work);
  });
  const onAccount = (...args: string[]) => session!.run(...args);
  after(async () => {
    await session?.close();
    await account?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  let report: ScanReport;

  it('scan prints a summary, writes the report and exits 0', async () => {
    const reportFile = join(work, 'report.json');
    // As of a day when Windows Server 2012 ESU still ran, so the test never depends on today's date.
    const { stdout } = await cli('scan', '--estate', join(repoRoot(), 'samples', 'estate'), '--report', reportFile, '--as-of', '2026-09-01');
    assert.match(stdout, /Subscriptions: 4\/4 scanned/);
    assert.match(stdout, /Evaluated as of 2026-09-01T00:00:00.000Z/);
    assert.match(stdout, /WS2012 +Windows Server 2012 \/ 2012 R2 +ESU active until 13 October 2026 +machines +\d+/);
    for (const ruleId of ['ESU.Machine.AgentVersion', 'ESU.License.CoreMinimum', 'ESU.Subscription.ProviderRegistered', 'ESU.Subscription.Access']) {
      assert.match(stdout, new RegExp(ruleId.replace(/\./g, '\\.')));
    }
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as ScanReport;
    assert.match(report.scanId, /^scan-/);
    for (const key of ['scanId', 'startedAt', 'finishedAt', 'summary', 'findings', 'jobs']) assert.ok(key in report, `report has ${key}`);
    for (const ruleId of ['ESU.Machine.AgentVersion', 'ESU.License.CoreMinimum', 'ESU.Subscription.ProviderRegistered']) {
      assert.ok((report.summary.byRule[ruleId]?.Failed ?? 0) > 0, `${ruleId} has failed findings`);
    }
    const finding = report.findings.find((f) => f.result === 'Failed');
    for (const key of ['ruleId', 'result', 'severity', 'subscriptionId', 'resourceId', 'message', 'messageId', 'evidence', 'remediation']) {
      assert.ok(finding && key in finding, `finding has ${key}`);
    }
    const job = report.jobs[0];
    for (const key of ['jobId', 'jobType', 'ruleId', 'subscriptionId', 'resourceId']) assert.ok(job && key in job, `job has ${key}`);
  });

  it('a later findings query sees what the scan stored (Azurite persisted in the data folder)', async () => {
    const { stdout } = await cli('findings', '--result', 'Failed', '--format', 'json');
    const rows = JSON.parse(stdout) as { ruleId: string; result: string }[];
    assert.equal(rows.length, report.summary.counts.Failed);
    assert.ok(rows.every((row) => row.result === 'Failed'));
    const byRule = await cli('findings', '--rule', 'ESU.License.CoreMinimum', '--format', 'csv');
    const lines = byRule.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^result,severity,ruleId/);
    // Only non-passing findings are rows; passes are counted in the scan summary.
    const coreMinimum = report.summary.byRule['ESU.License.CoreMinimum'];
    assert.ok(coreMinimum && coreMinimum.Passed > 0);
    assert.equal(lines.length - 1, (coreMinimum?.Failed ?? 0) + (coreMinimum?.PassedWithWarning ?? 0) + (coreMinimum?.Error ?? 0));
    assert.equal((await cli('findings', '--result', 'Passed', '--format', 'json')).stdout.trim(), '[]');
  });

  it('messages wait in the outbox and are listed when no Service Bus is configured', async () => {
    const { stdout } = await cli('jobs', '--format', 'json');
    const messages = JSON.parse(stdout) as { messageId: string; state: string; transition: string; job?: { jobId: string } }[];
    assert.ok(report.messages.length > 0);
    assert.deepEqual(messages.map((m) => m.messageId).sort(), report.messages.map((m) => m.messageId).sort());
    assert.ok(messages.every((m) => m.state === 'NotPublished' && m.transition === 'opened'));
    assert.deepEqual(new Set(messages.map((m) => m.job?.jobId)), new Set(report.jobs.map((j) => j.jobId)), 'every job is in an opened message');
  });

  it('suppress add, list and remove; bad input is refused', async () => {
    const machine = report.findings.find((f) => f.ruleId === 'ESU.Machine.AgentVersion' && f.result === 'Failed');
    assert.ok(machine);
    const added = await onAccount('suppress', 'add', '--rule', 'ESU.Machine.AgentVersion', '--resource', machine.resourceId, '--reason', 'upgrade in the January window', '--owner', 'ops@contoso.com', '--expires', '2099-01-31');
    const id = /Suppression (\S+) added/.exec(added.stdout)?.[1];
    assert.ok(id, added.stdout);
    const listed = JSON.parse((await onAccount('suppress', 'list', '--format', 'json')).stdout) as { id: string; ruleId?: string; resourceId?: string; owner: string; expiresAt: string }[];
    assert.deepEqual(listed.map((s) => [s.id, s.ruleId, s.resourceId, s.owner, s.expiresAt]), [[id, 'ESU.Machine.AgentVersion', machine.resourceId, 'ops@contoso.com', '2099-01-31T23:59:59.000Z']]);
    await assert.rejects(onAccount('suppress', 'add', '--rule', 'X', '--reason', 'r', '--owner', 'o', '--expires', '2001-01-01'), (e: { stderr?: string }) => /must be in the future/.test(e.stderr ?? ''));
    await assert.rejects(onAccount('suppress', 'add', '--reason', 'r', '--owner', 'o', '--expires', '2099-01-01'), (e: { stderr?: string }) => /--rule, --resource or both/.test(e.stderr ?? ''));
    await assert.rejects(onAccount('suppress', 'add', '--rule', 'X', '--owner', 'o', '--expires', '2099-01-01'), (e: { stderr?: string }) => /--reason/.test(e.stderr ?? ''));
    assert.match((await onAccount('suppress', 'remove', id)).stdout, /removed/);
    assert.deepEqual(JSON.parse((await onAccount('suppress', 'list', '--format', 'json')).stdout), []);
  });

  it('suppress export and import rebuild the suppressions as they were, ids and dates kept; twice changes nothing', async () => {
    const machine = report.findings.find((f) => f.ruleId === 'ESU.Machine.AgentVersion' && f.result === 'Failed');
    assert.ok(machine);
    await onAccount('suppress', 'add', '--rule', 'ESU.Machine.AgentVersion', '--resource', machine.resourceId, '--reason', 'upgrade in the January window', '--owner', 'ops@contoso.com', '--expires', '2099-01-31');
    await onAccount('suppress', 'add', '--rule', 'ESU.License.CoreMinimum', '--reason', 'tracked in CHG-42 "core minimum"', '--owner', 'licensing', '--expires', '2098-06-30');
    const before = JSON.parse((await onAccount('suppress', 'list', '--all', '--format', 'json')).stdout) as { id: string }[];
    assert.equal(before.length, 2);
    const file = join(work, 'suppressions.json');
    assert.match((await onAccount('suppress', 'export', '--output', file)).stdout, /Exported 2 suppression\(s\)/);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { format: string; suppressions: unknown[] };
    assert.equal(exported.format, 'esu-scan-suppressions');
    assert.deepEqual(JSON.parse((await onAccount('suppress', 'export')).stdout).suppressions, exported.suppressions, 'standard output holds the same');

    // The account is rebuilt: the suppressions are gone, then imported from the file.
    for (const { id } of before) await onAccount('suppress', 'remove', id);
    assert.deepEqual(JSON.parse((await onAccount('suppress', 'list', '--all', '--format', 'json')).stdout), []);
    assert.match((await onAccount('suppress', 'import', file)).stdout, /Imported 2 suppression\(s\): 2 new, 0 already there/);
    assert.deepEqual(JSON.parse((await onAccount('suppress', 'list', '--all', '--format', 'json')).stdout), before);
    assert.match((await onAccount('suppress', 'import', file)).stdout, /Imported 2 suppression\(s\): 0 new, 2 already there/);
    assert.deepEqual(JSON.parse((await onAccount('suppress', 'list', '--all', '--format', 'json')).stdout), before, 'importing twice changes nothing');

    const broken = join(work, 'broken.json');
    writeFileSync(broken, JSON.stringify({ ...exported, suppressions: [{ id: 'x', reason: 'r', owner: 'o', expiresAt: 'soon', createdAt: '2026-01-01T00:00:00Z' }] }));
    await assert.rejects(onAccount('suppress', 'import', broken), (e: { code?: number; stderr?: string }) => e.code === 2 && /not a suppression export: .*suppressions\.0\.expiresAt/.test(e.stderr ?? '') && /rule, a resource or both/.test(e.stderr ?? ''));
    assert.equal((JSON.parse((await onAccount('suppress', 'list', '--all', '--format', 'json')).stdout) as unknown[]).length, 2, 'a bad file writes nothing');
    for (const { id } of before) await onAccount('suppress', 'remove', id);
  });

  it('alerts tail prints messages from a topic subscription as they come', async () => {
    const peer = await startAmqpPeer();
    try {
      for (const message of report.messages.slice(0, 2)) {
        peer.enqueueForSubscription('esu-remediation', 'all', { body: message, messageId: message.messageId, applicationProperties: applicationPropertiesOf(message) });
      }
      const { stdout } = await run(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), 'alerts', 'tail', '--subscription', 'all', '--max', '2', '--timeout', '20', '--format', 'json'], {
        env: { ...env, ESU_SERVICEBUS: peer.connectionString }, cwd: work,
      });
      const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { messageId: string; applicationProperties: Record<string, unknown> });
      assert.deepEqual(lines.map((l) => l.messageId), report.messages.slice(0, 2).map((m) => m.messageId));
      assert.equal(lines[0]?.applicationProperties['transition'], 'opened');
      const text = await run(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), 'alerts', 'tail', '--subscription', 'all', '--timeout', '2'], {
        env: { ...env, ESU_SERVICEBUS: peer.connectionString }, cwd: work,
      });
      assert.equal(text.stdout, '', 'completed messages are not received again');
    } finally {
      await peer.stop();
    }
  });
});
