// Proves the in-process AMQP peer is good enough for the REAL @azure/service-bus client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceBusClient, type ServiceBusClientOptions } from '@azure/service-bus';
import { startAmqpPeer, type AmqpPeer } from '../../local/amqpPeer.js';

// Small retries so a failure (or the deliberate outage below) surfaces in seconds, not minutes.
const clientOptions: ServiceBusClientOptions = { retryOptions: { maxRetries: 1, retryDelayInMs: 100, maxRetryDelayInMs: 200, timeoutInMs: 2000 } };

describe('amqpPeer with the real ServiceBusClient', () => {
  let peer: AmqpPeer;
  let client: ServiceBusClient;

  before(async () => {
    peer = await startAmqpPeer();
    client = new ServiceBusClient(peer.connectionString, clientOptions);
  });
  after(async () => {
    await client.close();
    await peer.stop();
  });

  it('records a single message with its properties and JSON body', async () => {
    const sender = client.createSender('esu-remediation');
    try {
      await sender.sendMessages({ body: { a: 1 }, messageId: 'm1', subject: 's', correlationId: 'c', applicationProperties: { jobType: 'x', severity: 'High' } });
    } finally {
      await sender.close();
    }
    const [m] = await peer.waitForMessages(1);
    assert.deepEqual(m, {
      address: 'esu-remediation', messageId: 'm1', subject: 's', correlationId: 'c',
      body: { a: 1 }, applicationProperties: { jobType: 'x', severity: 'High' },
    });
  });

  it('splits a batch into separate messages', async () => {
    const before = peer.received.length;
    const sender = client.createSender('esu-batch');
    try {
      const batch = await sender.createMessageBatch();
      for (const i of [1, 2, 3]) {
        assert.ok(batch.tryAddMessage({ body: { i }, messageId: `b${i}`, applicationProperties: { n: i } }));
      }
      await sender.sendMessages(batch);
    } finally {
      await sender.close();
    }
    const all = await peer.waitForMessages(before + 3);
    const got = all.slice(before);
    assert.deepEqual(got.map((m) => [m.address, m.messageId, m.body, m.applicationProperties]), [
      ['esu-batch', 'b1', { i: 1 }, { n: 1 }],
      ['esu-batch', 'b2', { i: 2 }, { n: 2 }],
      ['esu-batch', 'b3', { i: 3 }, { n: 3 }],
    ]);
  });

  it('delivers topic messages to a subscription receiver (peek-lock + complete)', async () => {
    const sender = client.createSender('esu-remediation');
    const receiver = client.createReceiver('esu-remediation', 'all');
    try {
      await sender.sendMessages({ body: { job: 42 }, messageId: 'r1', applicationProperties: { jobType: 'patch' } });
      const msgs = await receiver.receiveMessages(5, { maxWaitTimeInMs: 2000 });
      const mine = msgs.find((m) => m.messageId === 'r1');
      assert.ok(mine, `got ${msgs.map((m) => m.messageId).join(',')}`);
      assert.deepEqual(mine.body, { job: 42 });
      assert.equal(mine.applicationProperties?.jobType, 'patch');
      for (const m of msgs) await receiver.completeMessage(m);

      // Nothing left: the receive ends by draining credit, which the peer must answer promptly.
      const started = Date.now();
      assert.deepEqual(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 }), []);
      assert.ok(Date.now() - started < 1500, `empty receive took ${Date.now() - started} ms`);
    } finally {
      await receiver.close();
      await sender.close();
    }
  });

  it('delivers enqueueForSubscription messages to subscribe()', async () => {
    const receiver = client.createReceiver('ESU-Remediation', 'Ops');
    try {
      const got = new Promise<unknown>((resolve, reject) => {
        receiver.subscribe({
          // The subscription also sees earlier topic traffic (it is seeded as if it always existed).
          processMessage: async (m) => { await receiver.completeMessage(m); if (m.messageId === 'e1') resolve(m.body); },
          processError: async (args) => reject(args.error),
        });
      });
      peer.enqueueForSubscription('esu-remediation', 'ops', { body: { hello: 'ops' }, messageId: 'e1' });
      assert.deepEqual(await got, { hello: 'ops' });
    } finally {
      await receiver.close();
    }
  });
});

describe('amqpPeer going down and coming back', () => {
  it('send fails while down; a new peer on the same port accepts a new client', async () => {
    const first = await startAmqpPeer();
    const port = first.port;
    const c1 = new ServiceBusClient(first.connectionString, clientOptions);
    const c2Holder: { client?: ServiceBusClient; peer?: AmqpPeer } = {};
    try {
      const s1 = c1.createSender('esu-remediation');
      await s1.sendMessages({ body: 'before' });
      await first.stop();

      const started = Date.now();
      await assert.rejects(s1.sendMessages({ body: 'during' }));
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms to fail`);

      c2Holder.peer = await startAmqpPeer({ port });
      assert.equal(c2Holder.peer.port, port);
      c2Holder.client = new ServiceBusClient(c2Holder.peer.connectionString, clientOptions);
      const s2 = c2Holder.client.createSender('esu-remediation');
      await s2.sendMessages({ body: 'after', messageId: 'a1' });
      const [m] = await c2Holder.peer.waitForMessages(1);
      assert.equal(m?.body, 'after');
      assert.equal(m?.messageId, 'a1');
    } finally {
      await c1.close().catch(() => undefined);
      await c2Holder.client?.close();
      await c2Holder.peer?.stop();
    }
  });
});

describe('amqpPeer counting only (retainMessages: false)', () => {
  it('counts every message of a batch by id, duplicates included, without keeping them', async () => {
    const peer = await startAmqpPeer({ retainMessages: false });
    const client = new ServiceBusClient(peer.connectionString, clientOptions);
    try {
      const sender = client.createSender('esu-remediation');
      for (const ids of [['c1', 'c2', 'c3'], ['c3']]) {
        const batch = await sender.createMessageBatch();
        for (const id of ids) {
          assert.ok(batch.tryAddMessage({ body: { id, text: 'x'.repeat(500) }, messageId: id, contentType: 'application/json', subject: 'scan', applicationProperties: { severity: 'High' } }));
        }
        await sender.sendMessages(batch);
      }
      await sender.close();
      assert.equal(peer.receivedCount, 4);
      assert.deepEqual([...peer.receivedIds.entries()].sort(), [['c1', 1], ['c2', 1], ['c3', 2]]);
      assert.equal(peer.received.length, 0);
    } finally {
      await client.close();
      await peer.stop();
    }
  });
});
