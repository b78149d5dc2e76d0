import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReportCollector } from '../../cli/report.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { runScan } from '../../shared/scan/runScan.js';
import { startAmqpPeer, type AmqpPeer, type ReceivedMessage } from '../../local/amqpPeer.js';
import { armLicense, armMachine, SUBSCRIPTION_ID } from '../support/armFixtures.js';
import { registered } from '../support/ruleHarness.js';
import { startTestEnvironment, type TestEnvironment, WS2012_ACTIVE_AS_OF } from '../support/testEnvironment.js';

const LICENSE_IMMUTABLE_ID = '11111111-2222-4333-8444-555555555555';
const DAY = 86_400_000;

/** One healthy, enrolled machine whose agent version each step changes. */
function writeEstate(dir: string, agentVersion: string): void {
  mkdirSync(join(dir, SUBSCRIPTION_ID), { recursive: true });
  writeFileSync(join(dir, 'subscriptions.json'), JSON.stringify({ value: [{ id: `/subscriptions/${SUBSCRIPTION_ID}`, subscriptionId: SUBSCRIPTION_ID, state: 'Enabled' }] }));
  writeFileSync(join(dir, SUBSCRIPTION_ID, 'providers.json'), JSON.stringify({ value: registered() }));
  writeFileSync(join(dir, SUBSCRIPTION_ID, 'licenses.json'), JSON.stringify({ value: [armLicense({ details: { processors: 16, immutableId: LICENSE_IMMUTABLE_ID } })] }));
  writeFileSync(join(dir, SUBSCRIPTION_ID, 'machines.json'), JSON.stringify({
    value: [armMachine({
      properties: { agentVersion },
      esuProfile: { licenseAssignmentState: 'Assigned', esuKeyState: 'Active', assignedLicenseImmutableId: LICENSE_IMMUTABLE_ID },
    })],
  }));
  // The ESU guest configuration reports it Compliant: the patch rules pass, whatever day the steps run on.
  const machineId = String(armMachine().id);
  const rows = [{
    id: `${machineId}/providers/Microsoft.GuestConfiguration/guestConfigurationAssignments/PendingESUUpdates`, name: 'PendingESUUpdates',
    properties: { complianceStatus: 'Compliant', lastComplianceStatusChecked: '2026-08-31T00:00:00Z', guestConfiguration: { name: 'PendingESUUpdates', version: '1.0.0' } },
  }];
  mkdirSync(join(dir, 'resourceGraph'), { recursive: true });
  writeFileSync(join(dir, 'resourceGraph', 'guestconfigurationresources.json'), JSON.stringify({ totalRecords: rows.length, count: rows.length, data: rows }));
}

/** `ruleId transition` for each message, sorted: the whole traffic of a step. */
const traffic = (messages: readonly ReceivedMessage[]): string[] =>
  messages.map((m) => `${String(m.applicationProperties['ruleId'])} ${String(m.applicationProperties['transition'])}`).sort();

describe('alert lifecycle over the real Service Bus client: open → no change → change → resolve → re-open → reminder', () => {
  const estateDir = mkdtempSync(join(tmpdir(), 'esu-lifecycle-'));
  let env: TestEnvironment;
  let peer: AmqpPeer;
  let deps: Dependencies;
  let now = new Date('2026-09-01T03:00:00Z');

  async function step(agentVersion: string, advanceDays = 1): Promise<{ sent: ReceivedMessage[]; collector: ReportCollector }> {
    writeEstate(estateDir, agentVersion);
    await env.restartStandIn();
    await deps?.close();
    deps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString, ESU_REMINDER_DAYS: '7' });
    now = new Date(now.getTime() + advanceDays * DAY);
    const before = peer.received.length;
    const collector = new ReportCollector();
    const result = await runScan(deps, { observer: collector, startedAt: now, asOf: WS2012_ACTIVE_AS_OF });
    assert.deepEqual(result.failures, []);
    assert.equal(result.pendingMessages, 0);
    if (collector.messages.length > 0) await peer.waitForMessages(before + collector.messages.length, 10_000);
    return { sent: peer.received.slice(before), collector };
  }

  before(async () => {
    writeEstate(estateDir, '1.30');
    [env, peer] = await Promise.all([startTestEnvironment({ estateDir }), startAmqpPeer()]);
  });
  after(async () => {
    await deps?.close();
    await env.close();
    await peer.stop();
    rmSync(estateDir, { recursive: true, force: true });
  });

  const opened: string[] = [];

  it('opens: an agent below 1.34 (a year behind, in published CVE ranges) sends one message per finding with a fix', async () => {
    const { sent, collector } = await step('1.30');
    assert.deepEqual(traffic(sent), ['ESU.Machine.AgentSupported opened', 'ESU.Machine.AgentVersion opened', 'ESU.Machine.AgentVulnerability opened']);
    assert.deepEqual(sent.map((m) => m.messageId).sort(), collector.messages.map((m) => m.messageId).sort());
    opened.push(...sent.map((m) => m.messageId ?? ''));
  });

  it('sends nothing when nothing changed', async () => {
    const { sent } = await step('1.30');
    assert.deepEqual(traffic(sent), []);
  });

  it('sends "changed" when the evidence changes but the finding stays open', async () => {
    const { sent } = await step('1.31');
    assert.deepEqual(traffic(sent), ['ESU.Machine.AgentSupported changed', 'ESU.Machine.AgentVersion changed', 'ESU.Machine.AgentVulnerability changed']);
    const body = sent.find((m) => m.applicationProperties['ruleId'] === 'ESU.Machine.AgentVersion')?.body as { finding: { evidence: Record<string, unknown> } };
    assert.equal(body.finding.evidence['agentVersion'], '1.31');
  });

  it('sends "resolved" when the agent is upgraded', async () => {
    // 1.65 (June 2026): supported, above the ESU minimum, and outside every CVE record published by September 2026.
    const { sent } = await step('1.65');
    assert.deepEqual(traffic(sent), ['ESU.Machine.AgentSupported resolved', 'ESU.Machine.AgentVersion resolved', 'ESU.Machine.AgentVulnerability resolved']);
    for (const message of sent) {
      assert.equal((message.body as { job?: unknown }).job, undefined, 'a resolution carries no job');
      assert.equal(message.applicationProperties['result'], 'Passed');
    }
  });

  it('re-opens when it regresses, under new message ids', async () => {
    const { sent } = await step('1.30');
    assert.deepEqual(traffic(sent), ['ESU.Machine.AgentSupported opened', 'ESU.Machine.AgentVersion opened', 'ESU.Machine.AgentVulnerability opened']);
    assert.ok(sent.every((m) => !opened.includes(m.messageId ?? '')), 'a new opening is a new message, not a duplicate');
  });

  it('reminds when a finding stays open longer than ESU_REMINDER_DAYS, and only then', async () => {
    assert.deepEqual(traffic((await step('1.30', 3)).sent), [], 'three days: nothing');
    assert.deepEqual(traffic((await step('1.30', 5)).sent), ['ESU.Machine.AgentSupported reminder', 'ESU.Machine.AgentVersion reminder', 'ESU.Machine.AgentVulnerability reminder'], 'eight days: a reminder');
    assert.deepEqual(traffic((await step('1.30', 1)).sent), [], 'the reminder resets the clock');
  });

  it('every message carries its transition and the scan as subject and correlation id', () => {
    for (const message of peer.received) {
      const body = message.body as { transition: string; scanId: string; messageId: string };
      assert.equal(message.applicationProperties['transition'], body.transition);
      assert.equal(message.subject, body.scanId);
      assert.equal(message.correlationId, body.scanId);
      assert.equal(message.messageId, body.messageId);
    }
    assert.equal(new Set(peer.received.map((m) => m.messageId)).size, peer.received.length, 'no message id was sent twice');
  });
});
