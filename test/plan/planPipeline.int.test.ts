import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReportCollector } from '../../cli/report.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { runScan } from '../../shared/scan/runScan.js';
import { registered } from '../support/ruleHarness.js';
import { startTestEnvironment, type TestEnvironment } from '../support/testEnvironment.js';

/**
 * The plan through the whole pipeline (ARM stand-in, Azurite, the tenant phase): two subscriptions, one license with
 * room for one VM, machines that compete for it. Messages change only when the plan changes.
 */
const SUB_A = '0a000000-0000-4000-8000-00000000000a';
const SUB_B = '0b000000-0000-4000-8000-00000000000b';
const AS_OF = new Date('2026-12-07T00:00:00Z');
const PLAN_RULES = new Set(['ESU.Machine.LicensePlan', 'ESU.License.Plan']);
const LICENSE_ID = `/subscriptions/${SUB_A}/resourceGroups/rg-esu/providers/Microsoft.HybridCompute/licenses/vcore-16`;

function vm(subscriptionId: string, name: string, vCpus: number, linked = false): Record<string, unknown> {
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/rg-apps/providers/Microsoft.HybridCompute/machines/${name}`,
    name,
    location: 'westeurope',
    type: 'Microsoft.HybridCompute/machines',
    kind: 'VMware',
    properties: {
      provisioningState: 'Succeeded', agentVersion: '1.68.03307.2765', status: 'Connected', lastStatusChange: '2026-12-06T22:00:00Z',
      osName: 'Windows Server 2016 Standard', osVersion: '10.0.14393', osType: 'windows', osSku: 'Windows Server 2016 Standard', mssqlDiscovered: 'false',
      detectedProperties: { manufacturer: 'VMware, Inc.', model: 'VMware7,1', coreCount: String(vCpus), logicalCoreCount: String(vCpus) },
      licenseProfile: {
        esuProfile: {
          esuEligibility: 'Eligible', serverType: 'Standard', esuKeyState: linked ? 'Active' : 'Inactive',
          licenseAssignmentState: linked ? 'Assigned' : 'NotAssigned', ...(linked ? { assignedLicenseImmutableId: 'imm-vcore-16' } : {}),
        },
      },
    },
  };
}

function writeEstate(dir: string, machines: { a: Record<string, unknown>[]; b: Record<string, unknown>[] }): void {
  writeFileSync(join(dir, 'subscriptions.json'), JSON.stringify({ value: [SUB_A, SUB_B].map((id) => ({ id: `/subscriptions/${id}`, subscriptionId: id, state: 'Enabled' })) }));
  for (const [id, list] of [[SUB_A, machines.a], [SUB_B, machines.b]] as const) {
    mkdirSync(join(dir, id), { recursive: true });
    writeFileSync(join(dir, id, 'providers.json'), JSON.stringify({ value: registered() }));
    writeFileSync(join(dir, id, 'machines.json'), JSON.stringify({ value: list }));
    const licenses = id === SUB_A
      ? [{ id: LICENSE_ID, name: 'vcore-16', type: 'Microsoft.HybridCompute/licenses', location: 'westeurope', properties: { licenseType: 'ESU', licenseDetails: { state: 'Activated', target: 'Windows Server 2016', edition: 'Standard', type: 'vCore', processors: 16, immutableId: 'imm-vcore-16' } } }]
      : [];
    writeFileSync(join(dir, id, 'licenses.json'), JSON.stringify({ value: licenses }));
  }
}

describe('license plan through the pipeline: one place per machine, messages only when the plan changes', () => {
  const estateDir = mkdtempSync(join(tmpdir(), 'esu-plan-'));
  let env: TestEnvironment;
  let deps: Dependencies;

  async function scan(machines: { a: Record<string, unknown>[]; b: Record<string, unknown>[] }) {
    writeEstate(estateDir, machines);
    await env.restartStandIn();
    await deps?.close();
    deps = await env.dependencies();
    const collector = new ReportCollector();
    const result = await runScan(deps, { observer: collector, startedAt: AS_OF, asOf: AS_OF });
    assert.deepEqual(result.failures, []);
    const advice = (name: string) => collector.findings.find((f) => f.ruleId === 'ESU.Machine.LicensePlan' && f.resourceName === name);
    return { result, collector, advice, traffic: collector.messages.filter((m) => PLAN_RULES.has(m.finding.ruleId)).map((m) => `${m.finding.ruleId} ${m.finding.resourceName} ${m.transition}`).sort() };
  }

  before(async () => {
    writeEstate(estateDir, { a: [], b: [] });
    env = await startTestEnvironment({ estateDir });
  });
  after(async () => {
    await deps?.close();
    await env.close();
    rmSync(estateDir, { recursive: true, force: true });
  });

  const first = { a: [vm(SUB_A, 'linked', 8, true), vm(SUB_A, 'vm-a2', 8)], b: [vm(SUB_B, 'vm-b1', 8)] };

  it('two VMs want the license\'s 8 spare cores: the one in its own subscription gets them, the other a new license in its subscription', async () => {
    const { advice, result, traffic } = await scan(first);
    assert.equal(advice('vm-a2')?.evidence['licenseName'], 'vcore-16');
    assert.equal(advice('vm-b1')?.evidence['licenseName'], 'esu-ws2016-standard-vcore-westeurope');
    assert.equal(advice('vm-b1')?.evidence['licenseExists'], false);
    const jobs = result.tenant?.plan.licenses.filter((row) => row.action === 'create') ?? [];
    assert.deepEqual(jobs.map((row) => [row.subscriptionId, row.processorsAfter, row.machinesPlanned]), [[SUB_B, 8, 1]]);
    assert.deepEqual(traffic, [
      'ESU.License.Plan esu-ws2016-standard-vcore-westeurope opened',
      'ESU.Machine.LicensePlan vm-a2 opened',
      'ESU.Machine.LicensePlan vm-b1 opened',
    ]);
    const stored = await deps.plans.load();
    assert.equal(stored?.scanId, result.run.scanId);
    assert.deepEqual(stored?.licenses.map((row) => [row.name, row.action]).sort(), [['esu-ws2016-standard-vcore-westeurope', 'create'], ['vcore-16', 'keep']]);
  });

  it('a rescan of the same estate decides no message', async () => {
    const { collector } = await scan(first);
    assert.deepEqual(collector.messages, []);
  });

  it('one more machine joins the proposed license: one message for it, one for the license that grew, none for the others', async () => {
    const { traffic, result } = await scan({ ...first, b: [...first.b, vm(SUB_B, 'vm-b2', 12)] });
    assert.deepEqual(traffic, [
      'ESU.License.Plan esu-ws2016-standard-vcore-westeurope changed',
      'ESU.Machine.LicensePlan vm-b2 opened',
    ]);
    assert.deepEqual(result.tenant?.plan.licenses.filter((row) => row.proposed).map((row) => row.processorsAfter), [20]);
  });

  it('the listing order of machines and subscriptions does not change the plan', async () => {
    const reversed = { a: [...first.a].reverse(), b: [vm(SUB_B, 'vm-b2', 12), ...first.b] };
    const { traffic } = await scan(reversed);
    assert.deepEqual(traffic, []);
  });

  it('a machine linked at last frees its place: its advice resolves, the license it was to join shrinks', async () => {
    const linkedNow = { ...vm(SUB_B, 'vm-b2', 12), properties: { ...(vm(SUB_B, 'vm-b2', 12)['properties'] as object), licenseProfile: { esuProfile: { esuEligibility: 'Eligible', serverType: 'Standard', esuKeyState: 'Active', licenseAssignmentState: 'Assigned', assignedLicense: LICENSE_ID } } } };
    const { traffic } = await scan({ ...first, b: [...first.b, linkedNow] });
    // vm-b2 now on vcore-16 with `linked` (8 + 12 > 16): vcore-16 has no room left for vm-a2 either.
    assert.ok(traffic.includes('ESU.Machine.LicensePlan vm-b2 resolved'), traffic.join('; '));
    assert.ok(traffic.includes('ESU.License.Plan esu-ws2016-standard-vcore-westeurope changed'), traffic.join('; '));
  });
});
