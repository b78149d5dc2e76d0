/**
 * What the app registers with the Functions host: names, triggers, bindings, handlers. The host
 * module `@azure/functions-core` is replaced by a recorder before the function modules load.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CONNECTIONS, RESOURCE_NAMES } from '../../shared/config/resourceNames.js';
import { SETTINGS } from '../../shared/config/settings.js';
import { installFunctionsHostRecorder, type FunctionRegistration, type RecordedBinding, type FunctionsHostRecorder } from '../support/functionsHost.js';
// Type-only: erased at compile time, so the modules still load after the recorder is installed.
import type * as SchedulerModule from '../../functions/scanScheduler.js';
import type * as SubscriptionScanModule from '../../functions/subscriptionScan.js';
import type * as OutboxRelayModule from '../../functions/outboxRelay.js';
import type * as ScanRequestPoisonModule from '../../functions/scanRequestPoison.js';

let host: FunctionsHostRecorder;
let schedulerModule: typeof SchedulerModule;
let subscriptionScanModule: typeof SubscriptionScanModule;
let outboxRelayModule: typeof OutboxRelayModule;
let scanRequestPoisonModule: typeof ScanRequestPoisonModule;

before(async () => {
  host = installFunctionsHostRecorder();
  schedulerModule = await import('../../functions/scanScheduler.js');
  subscriptionScanModule = await import('../../functions/subscriptionScan.js');
  outboxRelayModule = await import('../../functions/outboxRelay.js');
  scanRequestPoisonModule = await import('../../functions/scanRequestPoison.js');
});

function bindingsOf(registration: FunctionRegistration): [string, RecordedBinding][] {
  return Object.entries(registration.metadata.bindings);
}

function triggerOf(registration: FunctionRegistration): RecordedBinding {
  const triggers = bindingsOf(registration).filter(([, b]) => b.direction === 'in' && b.type.endsWith('Trigger'));
  assert.equal(triggers.length, 1, `${registration.metadata.name} has exactly one trigger binding`);
  return triggers[0]![1];
}

function outputsOf(registration: FunctionRegistration): RecordedBinding[] {
  return bindingsOf(registration).filter(([, b]) => b.direction === 'out').map(([, b]) => b);
}

describe('function registration', () => {
  test('registers exactly outboxRelay, scanRequestPoison, scanScheduler and subscriptionScan through the host API', () => {
    assert.deepEqual(host.registrations.map((r) => r.metadata.name).sort(), ['outboxRelay', 'scanRequestPoison', 'scanScheduler', 'subscriptionScan']);
    const model = host.programmingModel as { name?: unknown } | undefined;
    assert.equal(model?.name, '@azure/functions', 'the package set its programming model on the host');
  });

  test('every binding is keyed by its own name', () => {
    for (const registration of host.registrations) {
      for (const [key, binding] of bindingsOf(registration)) {
        assert.equal(binding.name, key, `${registration.metadata.name}: binding key ${key}`);
      }
    }
  });

  test('scanScheduler: timer on %ESU_SCAN_SCHEDULE%', () => {
    const registration = host.registration('scanScheduler');
    assert.equal(SETTINGS.scanSchedule.name, 'ESU_SCAN_SCHEDULE');
    const trigger = triggerOf(registration);
    assert.equal(trigger.type, 'timerTrigger');
    assert.equal(trigger.direction, 'in');
    assert.equal(trigger['schedule'], `%${SETTINGS.scanSchedule.name}%`);
    assert.equal(trigger['schedule'], '%ESU_SCAN_SCHEDULE%');
    assert.notEqual(trigger['runOnStartup'], true, 'runOnStartup would fire a full scan on every cold start');
  });

  test('scanScheduler: a failed fan-out is retried with back-off, within the hours before the next daily run', () => {
    const retry = host.registration('scanScheduler').metadata.retryOptions as { retryStrategy?: string; maxRetryCount?: number; minimumInterval?: { seconds?: number }; maximumInterval?: { seconds?: number } } | undefined;
    assert.equal(retry?.retryStrategy, 'exponentialBackoff');
    assert.ok((retry?.maxRetryCount ?? 0) >= 3, 'retries a few times');
    assert.notEqual(retry?.maxRetryCount, -1, 'never retries for ever');
    const minimum = Number(retry?.minimumInterval?.seconds);
    const maximum = Number(retry?.maximumInterval?.seconds);
    assert.ok(minimum >= 60 && maximum >= minimum, JSON.stringify(retry));
    // Worst case: every wait at the maximum. All retries end well before the next day's run.
    assert.ok(maximum * (retry?.maxRetryCount ?? 0) < 12 * 3600, JSON.stringify(retry));
    for (const name of ['subscriptionScan', 'scanRequestPoison']) assert.equal(host.registration(name).metadata.retryOptions, undefined, `${name}: the queue's own dequeue count retries it`);
  });

  test('scanScheduler: one storage-queue output to the scan-request queue', () => {
    const registration = host.registration('scanScheduler');
    const outputs = outputsOf(registration);
    assert.equal(outputs.length, 1, 'only the queue output');
    const queue = outputs[0]!;
    assert.equal(queue.type, 'queue');
    assert.equal(queue.direction, 'out');
    assert.equal(queue['queueName'], RESOURCE_NAMES.scanRequestQueue);
    assert.equal(queue['queueName'], 'esu-scan-requests');
    assert.equal(queue['connection'], CONNECTIONS.storage);
    // The handler writes through `context.extraOutputs.set(scanRequestQueue, ...)`, i.e. by this name.
    assert.equal(queue.name, schedulerModule.scanRequestQueue.name);
    assert.equal(registration.metadata.bindings[schedulerModule.scanRequestQueue.name], queue);
  });

  test('subscriptionScan: queue trigger on the same queue and connection, one output to the poison queue', () => {
    const registration = host.registration('subscriptionScan');
    const trigger = triggerOf(registration);
    assert.equal(trigger.type, 'queueTrigger');
    assert.equal(trigger.direction, 'in');
    assert.equal(trigger['queueName'], RESOURCE_NAMES.scanRequestQueue);
    assert.equal(trigger['connection'], CONNECTIONS.storage);
    const outputs = outputsOf(registration);
    assert.deepEqual(outputs.map((o) => [o.type, o['queueName'], o['connection']]), [['queue', `${RESOURCE_NAMES.scanRequestQueue}-poison`, CONNECTIONS.storage]]);
    assert.equal(outputs[0]?.name, subscriptionScanModule.poisonQueue.name, 'the handler writes through the registered binding');
    assert.equal(bindingsOf(registration).length, 2);

    const scheduler = host.registration('scanScheduler');
    const schedulerQueue = outputsOf(scheduler)[0]!;
    assert.equal(trigger['queueName'], schedulerQueue['queueName'], 'the trigger reads what the timer writes');
    assert.equal(trigger['connection'], schedulerQueue['connection']);
  });

  test('the registered handlers are the exported handlers', () => {
    assert.equal(typeof schedulerModule.scanScheduler, 'function');
    assert.equal(typeof subscriptionScanModule.subscriptionScan, 'function');
    assert.equal(host.registration('scanScheduler').handler, schedulerModule.scanScheduler);
    assert.equal(host.registration('subscriptionScan').handler, subscriptionScanModule.subscriptionScan);
    assert.equal(host.registration('outboxRelay').handler, outboxRelayModule.outboxRelay);
    assert.equal(host.registration('scanRequestPoison').handler, scanRequestPoisonModule.scanRequestPoison);
  });

  test('scanRequestPoison: queue trigger on the poison queue subscriptionScan writes to and the host moves failures to', () => {
    const registration = host.registration('scanRequestPoison');
    const trigger = triggerOf(registration);
    assert.equal(trigger.type, 'queueTrigger');
    // The host's poison queue of a queue trigger is always `<queue>-poison`.
    assert.equal(trigger['queueName'], `${RESOURCE_NAMES.scanRequestQueue}-poison`);
    assert.equal(trigger['connection'], CONNECTIONS.storage);
    assert.equal(trigger['queueName'], outputsOf(host.registration('subscriptionScan'))[0]?.['queueName']);
    assert.equal(bindingsOf(registration).length, 1, 'no outputs: what it decides goes to the tables');
  });

  test('outboxRelay: a timer every five minutes, no bindings besides', () => {
    const registration = host.registration('outboxRelay');
    const trigger = triggerOf(registration);
    assert.equal(trigger.type, 'timerTrigger');
    assert.equal(trigger['schedule'], '0 */5 * * * *');
    assert.equal(bindingsOf(registration).length, 1);
  });

  test('the connection name is one of the settings the app documents', () => {
    assert.equal(CONNECTIONS.storage, SETTINGS.storageConnectionString.name);
    assert.ok(SETTINGS.storageQueueUri.name.startsWith(`${CONNECTIONS.storage}__`), 'identity-based queue setting uses the connection prefix');
  });
});
