/**
 * Large groups of messages go as digests: a first scan of 600 machines in one subscription through the real
 * ARM stand-in, Azurite and the real Service Bus client against the AMQP peer publishes at most 20 messages
 * per rule, job type and transition one by one, and one digest for the rest; nothing is lost, nothing doubles.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Command } from 'commander';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { runScan } from '../../shared/scan/runScan.js';
import { relayOutbox } from '../../shared/scan/outboxRelay.js';
import { MessageDelivery } from '../../shared/scan/messageDelivery.js';
import { groupKeyOf, headerOf, INDIVIDUAL_MESSAGES_PER_GROUP, type DigestMessage } from '../../shared/alerts/digest.js';
import type { RemediationMessage } from '../../shared/alerts/message.js';
import { ReportCollector } from '../../cli/report.js';
import { registerFindings } from '../../cli/commands/findings.js';
import { renderAlert } from '../../cli/commands/alerts.js';
import { startAmqpPeer, type AmqpPeer } from '../../local/amqpPeer.js';
import { startTestEnvironment, type TestEnvironment } from '../support/testEnvironment.js';
import { repoRoot } from '../support/repoRoot.js';

const MACHINES = 600;

describe('message digests: a first scan of a large subscription', () => {
  let env: TestEnvironment;
  let peer: AmqpPeer;
  let deps: Dependencies;
  let collector: ReportCollector;

  before(async () => {
    [env, peer] = await Promise.all([
      startTestEnvironment({ synthetic: { subscriptions: 1, machinesPerSubscription: MACHINES, seed: 11, referenceTime: '2026-12-07T00:00:00Z' }, pageSize: 100 }),
      startAmqpPeer(),
    ]);
    deps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString });
    collector = new ReportCollector();
    const result = await runScan(deps, { observer: collector, asOf: new Date('2026-12-07T00:00:00Z') });
    assert.deepEqual(result.failures, []);
  });
  after(async () => {
    await env.close();
    await peer.stop();
  });

  it('publishes each group one by one up to the limit, and the rest of a large group as one digest', async () => {
    const decided = collector.messages;
    const groups = new Map<string, RemediationMessage[]>();
    for (const message of decided) groups.set(groupKeyOf(headerOf(message)), [...(groups.get(groupKeyOf(headerOf(message))) ?? []), message]);
    const large = [...groups.values()].filter((group) => group.length >= 2 * INDIVIDUAL_MESSAGES_PER_GROUP);
    assert.ok(large.length >= 2, `the estate has large groups (${large.length})`);
    const expectedSingles = [...groups.values()].reduce((sum, group) => sum + (group.length - INDIVIDUAL_MESSAGES_PER_GROUP >= INDIVIDUAL_MESSAGES_PER_GROUP ? INDIVIDUAL_MESSAGES_PER_GROUP : group.length), 0);
    const expectedDigests = [...groups.values()].filter((group) => group.length - INDIVIDUAL_MESSAGES_PER_GROUP >= INDIVIDUAL_MESSAGES_PER_GROUP).length;
    const received = await peer.waitForMessages(expectedSingles + expectedDigests, 15_000);
    assert.equal(received.length, expectedSingles + expectedDigests, `${decided.length} decisions went as ${expectedSingles} messages and ${expectedDigests} digests`);
    assert.ok(received.length < decided.length / 3, 'far fewer messages than findings');

    const digests = received.map((m) => m.body as DigestMessage).filter((body) => body.transition === 'digest');
    assert.equal(digests.length, expectedDigests);
    const covered = digests.reduce((sum, digest) => sum + digest.count, 0);
    assert.equal(covered + expectedSingles, decided.length, 'every decision is in exactly one message or digest');
    for (const digest of digests) {
      const group = [...groups.values()].find((candidate) => groupKeyOf(headerOf(candidate[0]!)) === groupKeyOf({ ...digest, transition: digest.digestOf }));
      assert.ok(group, `digest ${digest.ruleId}/${digest.jobType} names its group`);
      assert.equal(digest.count, group.length - INDIVIDUAL_MESSAGES_PER_GROUP);
      assert.ok(group.some((m) => m.messageId === digest.example.messageId), 'its example is one of its messages');
      assert.equal(digest.resourceGroups.reduce((sum, rg) => sum + rg.count, 0) <= digest.count, true);
      assert.ok(digest.sampleResources.length > 0 && digest.sampleResources.length <= 10);
      const props = received.find((m) => m.messageId === digest.messageId)?.applicationProperties;
      assert.equal(props?.['transition'], 'digest');
      assert.equal(props?.['ruleId'], digest.ruleId);
    }
    const outbox: unknown[] = [];
    for await (const entry of deps.outbox.list()) outbox.push(entry);
    assert.deepEqual(outbox, [], 'the outbox is empty once the digests are out');
    assert.equal((await relayOutbox(deps.outbox, deps.publisher)).published, 0, 'a second relay sends nothing');
  });

  it('writes digests the schema accepts, with a list command the CLI parses', () => {
    const read = (name: string) => JSON.parse(readFileSync(join(repoRoot(), 'schemas', name), 'utf8')) as object;
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    ajv.addSchema(read('remediation-message.v1.schema.json'));
    const validate = ajv.compile(read('remediation-digest.v1.schema.json'));
    const digests = peer.received.map((m) => m.body as DigestMessage).filter((body) => body.transition === 'digest');
    assert.ok(digests.length > 0);
    for (const digest of digests) {
      assert.ok(validate(digest), JSON.stringify(validate.errors));
      const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
      let parsed: Record<string, unknown> | undefined;
      registerFindings(program);
      program.commands[0]!.action((options: Record<string, unknown>) => { parsed = options; });
      const args = digest.listCommand.split(' ');
      assert.equal(args[0], 'esu-scan');
      program.parse(args.slice(1), { from: 'user' });
      assert.equal(parsed?.['subscription'], digest.subscriptionId);
      assert.equal(parsed?.['rule'], digest.ruleId);
      const line = renderAlert({ messageId: digest.messageId, body: digest });
      assert.match(line, new RegExp(`DIGEST .*${digest.ruleId.replace(/\./g, '\\.')} ${digest.count} × ${digest.digestOf}`));
      assert.ok(line.includes(`list them: ${digest.listCommand}`), 'alerts tail shows how to list them');
    }
  });

  it('a scan that dies leaves its digest so far for the relay; its retry decides the same digest id', async () => {
    const groups = new Map<string, RemediationMessage[]>();
    for (const message of collector.messages) groups.set(groupKeyOf(headerOf(message)), [...(groups.get(groupKeyOf(headerOf(message))) ?? []), message]);
    const group = [...groups.values()].sort((a, b) => b.length - a.length)[0];
    assert.ok(group && group.length >= 50, 'a large group');
    const before = peer.receivedCount;
    const dying = new MessageDelivery(deps.outbox, deps.publisher);
    await dying.hand(group.slice(0, 30));
    await dying.hand(group.slice(30, 50));
    // No finish: the scan died. The relay finds the digest it kept, incomplete, with what it had counted.
    const relayed = await relayOutbox(deps.outbox, deps.publisher);
    assert.equal(relayed.published, 1);
    const all = await peer.waitForMessages(peer.received.length - (peer.receivedCount - before) + 21, 10_000);
    const kept = all.at(-1)?.body as DigestMessage | undefined;
    assert.ok(kept);
    assert.equal(kept?.transition, 'digest');
    assert.equal(kept?.complete, false);
    assert.equal(kept?.count, 30, '50 handed, 20 of them one by one');
    assert.equal((await relayOutbox(deps.outbox, deps.publisher)).published, 0, 'nothing left to relay');

    const retry = new MessageDelivery(deps.outbox, deps.publisher);
    await retry.hand(group.slice(0, 50));
    await retry.finish();
    assert.equal(retry.stats.digests, 1);
    assert.equal(peer.receivedIds.get(kept.messageId), 2, 'the retry sends the same digest id (the topic drops the duplicate)');
    const outbox: unknown[] = [];
    for await (const entry of deps.outbox.listDigests()) outbox.push(entry);
    assert.deepEqual(outbox, [], 'the retry took its kept digest away');
  });
});
