import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReportCollector } from '../../cli/report.js';
import { findSuppression, type Suppression } from '../../shared/domain/suppression.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { runScan } from '../../shared/scan/runScan.js';
import { armMachine, SUBSCRIPTION_ID } from '../support/armFixtures.js';
import { registered } from '../support/ruleHarness.js';
import { startTestEnvironment, type TestEnvironment, WS2012_ACTIVE_AS_OF } from '../support/testEnvironment.js';

const MACHINE = armMachine({ properties: { agentVersion: '1.30' } });
const MACHINE_ID = String(MACHINE['id']);

describe('suppressions: matching', () => {
  const now = new Date('2026-11-22T00:00:00Z');
  const base = { reason: 'r', owner: 'o', expiresAt: '2026-12-01T00:00:00Z', createdAt: '2026-11-01T00:00:00Z' };
  const finding = { ruleId: 'ESU.Machine.AgentVersion', resourceId: MACHINE_ID };
  const cases: [string, Suppression[], string | undefined][] = [
    ['a rule everywhere', [{ ...base, id: 'a', ruleId: 'ESU.Machine.AgentVersion' }], 'a'],
    ['a resource for every rule (any casing)', [{ ...base, id: 'b', resourceId: MACHINE_ID.toUpperCase() }], 'b'],
    ['the most specific wins', [{ ...base, id: 'a', ruleId: 'ESU.Machine.AgentVersion' }, { ...base, id: 'c', ruleId: 'ESU.Machine.AgentVersion', resourceId: MACHINE_ID }], 'c'],
    ['another rule does not match', [{ ...base, id: 'd', ruleId: 'ESU.Machine.Connected' }], undefined],
    ['another resource does not match', [{ ...base, id: 'e', resourceId: `${MACHINE_ID}-2` }], undefined],
    ['an expired one does not match', [{ ...base, id: 'f', ruleId: 'ESU.Machine.AgentVersion', expiresAt: '2026-11-21T00:00:00Z' }], undefined],
    ['an unparsable expiry does not match', [{ ...base, id: 'g', ruleId: 'ESU.Machine.AgentVersion', expiresAt: 'soon' }], undefined],
  ];
  for (const [name, suppressions, expected] of cases) {
    it(name, () => assert.equal(findSuppression(suppressions, finding, now)?.id, expected));
  }
});

describe('suppressions through scans: recorded, silent, re-opened on expiry', () => {
  const estateDir = mkdtempSync(join(tmpdir(), 'esu-suppress-'));
  let env: TestEnvironment;
  let deps: Dependencies;
  let now = new Date('2026-09-01T03:00:00Z');

  before(async () => {
    mkdirSync(join(estateDir, SUBSCRIPTION_ID));
    writeFileSync(join(estateDir, 'subscriptions.json'), JSON.stringify({ value: [{ subscriptionId: SUBSCRIPTION_ID, state: 'Enabled' }] }));
    writeFileSync(join(estateDir, SUBSCRIPTION_ID, 'providers.json'), JSON.stringify({ value: registered() }));
    writeFileSync(join(estateDir, SUBSCRIPTION_ID, 'machines.json'), JSON.stringify({ value: [MACHINE] }));
    env = await startTestEnvironment({ estateDir });
    deps = await env.dependencies();
  });
  after(async () => {
    await env.close();
    rmSync(estateDir, { recursive: true, force: true });
  });

  async function scan(advanceDays: number) {
    now = new Date(now.getTime() + advanceDays * 86_400_000);
    const collector = new ReportCollector();
    await runScan(deps, { observer: collector, startedAt: now, asOf: WS2012_ACTIVE_AS_OF });
    const rows = [];
    for await (const row of deps.findings.query({ ruleId: 'ESU.Machine.AgentVersion' })) rows.push(row);
    const agentMessages = collector.messages.filter((m) => m.finding.ruleId === 'ESU.Machine.AgentVersion').map((m) => m.transition);
    return { row: rows[0], agentMessages };
  }

  it('opens without a suppression', async () => {
    const { row, agentMessages } = await scan(0);
    assert.equal(row?.alertState, 'open');
    assert.deepEqual(agentMessages, ['opened']);
  });

  it('a suppression keeps the finding, marks it and sends nothing (not even a resolution)', async () => {
    const suppression = await deps.suppressions.add({ ruleId: 'ESU.Machine.AgentVersion', resourceId: MACHINE_ID, reason: 'upgrade scheduled in the January window', owner: 'ops@contoso.com', expiresAt: new Date(now.getTime() + 2 * 86_400_000).toISOString() }, now);
    const { row, agentMessages } = await scan(1);
    assert.equal(row?.result, 'Failed', 'still recorded as it is');
    assert.equal(row?.alertState, 'suppressed');
    assert.equal(row?.suppressionId, suppression.id);
    assert.deepEqual(agentMessages, []);
    assert.deepEqual((await deps.suppressions.listActive(now)).map((s) => s.id), [suppression.id]);
  });

  it('an expired suppression re-opens its finding', async () => {
    const { row, agentMessages } = await scan(2);
    assert.deepEqual(await deps.suppressions.listActive(now), []);
    assert.equal(row?.alertState, 'open');
    assert.equal(row?.suppressionId, undefined);
    assert.deepEqual(agentMessages, ['opened']);
  });

  it('suppressions live in the findings table but never show up as findings', async () => {
    const rows = [];
    for await (const row of deps.findings.query()) rows.push(row);
    assert.ok(rows.length > 0 && rows.every((row) => row.ruleId.startsWith('ESU.')));
    assert.equal((await deps.suppressions.list()).length, 1, 'expired suppressions are kept for the record');
  });
});
