import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReportCollector } from '../../cli/report.js';
import { runScan, type ScanRunResult } from '../../shared/scan/runScan.js';
import { armLicense, armMachine, SUBSCRIPTION_ID } from '../support/armFixtures.js';
import { startTestEnvironment, WS2012_ACTIVE_AS_OF, type TestEnvironment } from '../support/testEnvironment.js';

/** Odd payloads, as ARM or a half-onboarded agent may send them, through the whole scan. */
const MACHINES = [
  armMachine({ name: 'cores-not-numeric', properties: { hardwareProfile: { processors: [{ numberOfCores: 'eight' }] }, detectedProperties: { coreCount: 'n/a', manufacturer: 'Dell Inc.' } } }),
  armMachine({ name: 'agent-empty', properties: { agentVersion: '' } }),
  armMachine({ name: 'agent-1x', properties: { agentVersion: '1.x' } }),
  armMachine({ name: 'agent-v134', properties: { agentVersion: 'v1.34' } }),
  armMachine({ name: 'os-null', properties: { osName: null, osSku: null, osType: null, osVersion: null } }),
  armMachine({ name: 'enums-unknown', properties: { status: 'Sleeping' }, esuProfile: { licenseAssignmentState: 'Maybe', esuEligibility: 'Perhaps', esuKeyState: 'Flickering' } }),
  armMachine({ name: 'profile-garbage', properties: { licenseProfile: 'not an object', osProfile: [1, 2, 3], detectedProperties: null, hardwareProfile: 7 } }),
  { id: 42, name: 'id-not-a-string' },
  'not even an object',
];
const LICENSES = [
  armLicense({ name: 'no-details', details: null }),
  armLicense({ name: 'processors-text', details: { processors: 'sixteen', type: 'pCore' } }),
  armLicense({ name: 'odd-enums', details: { state: 'Sleeping', edition: 'Enterprise', type: 'socket' } }),
];

describe('malformed ARM payloads never stop a scan', () => {
  let env: TestEnvironment;
  let result: ScanRunResult;
  const collector = new ReportCollector();
  const estateDir = mkdtempSync(join(tmpdir(), 'esu-malformed-'));

  before(async () => {
    writeFileSync(join(estateDir, 'subscriptions.json'), JSON.stringify({ value: [{ id: `/subscriptions/${SUBSCRIPTION_ID}`, subscriptionId: SUBSCRIPTION_ID, displayName: 'odd', state: 'Enabled' }] }));
    mkdirSync(join(estateDir, SUBSCRIPTION_ID));
    writeFileSync(join(estateDir, SUBSCRIPTION_ID, 'machines.json'), JSON.stringify({ value: MACHINES }));
    writeFileSync(join(estateDir, SUBSCRIPTION_ID, 'licenses.json'), JSON.stringify({ value: LICENSES }));
    writeFileSync(join(estateDir, SUBSCRIPTION_ID, 'providers.json'), JSON.stringify({ value: [{ namespace: 'Microsoft.HybridCompute', registrationState: 42 }, null, 'x'] }));
    env = await startTestEnvironment({ estateDir });
    result = await runScan(await env.dependencies(), { observer: collector, asOf: WS2012_ACTIVE_AS_OF });
  });
  after(async () => {
    await env.close();
    rmSync(estateDir, { recursive: true, force: true });
  });

  it('completes, with no rule failing to evaluate', () => {
    assert.deepEqual(result.failures, []);
    assert.deepEqual(collector.findings.filter((f) => f.messageId.endsWith('.Error.Evaluation')).map((f) => f.message), []);
  });

  it('reports each odd value as a warning or Error on its own resource', () => {
    const messageIds = (name: string) => collector.findings.filter((f) => f.resourceName === name).map((f) => f.messageId);
    assert.ok(messageIds('agent-empty').includes('AgentVersion.PassedWithWarning.Unknown'));
    assert.ok(messageIds('agent-1x').includes('AgentVersion.PassedWithWarning.Unparsable'));
    assert.ok(messageIds('agent-v134').includes('AgentVersion.PassedWithWarning.Unparsable'));
    assert.ok(messageIds('cores-not-numeric').some((id) => id.startsWith('CoreCount.PassedWithWarning')));
    assert.ok(messageIds('enums-unknown').some((id) => id.startsWith('Connected.PassedWithWarning')));
    assert.ok(messageIds('no-details').includes('CoreMinimum.Error.MissingDetails'));
    assert.ok(messageIds('processors-text').includes('CoreMinimum.Error.InvalidCoreCount'));
    assert.ok(messageIds('odd-enums').includes('CoreMinimum.Error.UnknownType'));
  });

  it('reports items without an id against their list, once each', () => {
    const skipped = collector.findings.filter((f) => f.messageId === 'Access.Error.Malformed');
    const machines = skipped.filter((f) => /Microsoft\.HybridCompute\/machines$/.test(f.resourceId));
    assert.equal(machines.length, 1, 'one row per list: the two unusable machines share it');
    const providers = skipped.filter((f) => f.resourceId.endsWith('/providers'));
    assert.equal(providers.length, 1, 'the null provider is counted on its list');
    assert.match(providers[0]?.message ?? '', /1 null item\(s\) skipped/);
  });
});
