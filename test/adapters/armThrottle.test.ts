import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHttpHeaders, createPipelineRequest, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { RestError } from '@azure/core-rest-pipeline';
import { armThrottlePolicies, ArmWaitFeed, ReadBudgets, SDK_MAX_RETRIES, subscriptionOfUrl, TokenBucket } from '../../shared/adapters/arm/armThrottle.js';
import type { ArmWait } from '../../shared/scan/armPorts.js';

const URL_A = 'https://management.azure.com/subscriptions/aaaa/providers/Microsoft.HybridCompute/machines?api-version=2025-01-13';
const URL_B = 'https://management.azure.com/subscriptions/bbbb/providers?api-version=2025-04-01';

function respond(status: number, headers: Record<string, string> = {}) {
  return (request: PipelineRequest): Promise<PipelineResponse> => Promise.resolve({ request, status, headers: createHttpHeaders(headers) });
}

describe('ARM read budget', () => {
  it('spends the burst at once, then paces at the refill rate', async () => {
    const bucket = new TokenBucket({ burst: 3, refillPerSecond: 20 });
    const started = Date.now();
    for (let i = 0; i < 3; i += 1) await bucket.take();
    assert.ok(Date.now() - started < 30, 'the burst is immediate');
    await bucket.take();
    await bucket.take();
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 80 && elapsed < 400, `two more tokens at 20/s take about 100 ms (took ${elapsed})`);
  });

  it('keeps one bucket per subscription', async () => {
    const budgets = new ReadBudgets({ burst: 1, refillPerSecond: 1 });
    await budgets.bucketFor(URL_A).take();
    const started = Date.now();
    await budgets.bucketFor(URL_B).take();
    assert.ok(Date.now() - started < 30, 'another subscription has its own budget');
    assert.notEqual(budgets.bucketFor(URL_A), budgets.bucketFor(URL_B));
    assert.equal(budgets.bucketFor(URL_A), budgets.bucketFor(URL_A.toUpperCase().replace('HTTPS://MANAGEMENT.AZURE.COM', 'https://management.azure.com')));
  });

  it('believes ARM about the reads left, and empties after a 429', async () => {
    const budgets = new ReadBudgets({ burst: 100, refillPerSecond: 10 });
    const { perRetry } = armThrottlePolicies(budgets);
    await perRetry.sendRequest(createPipelineRequest({ url: URL_A }), respond(200, { 'x-ms-ratelimit-remaining-subscription-reads': '0' }));
    let started = Date.now();
    await budgets.bucketFor(URL_A).take();
    assert.ok(Date.now() - started >= 60, 'no reads left: the next one waits for a refill');
    await perRetry.sendRequest(createPipelineRequest({ url: URL_B }), respond(429, { 'retry-after': '1' }));
    assert.equal(budgets.throttled, 1);
    started = Date.now();
    await budgets.bucketFor(URL_B).take();
    assert.ok(Date.now() - started >= 60, 'after a 429 the bucket is empty');
  });

  it('retries a 429 without Retry-After with backoff, and leaves one with Retry-After to the SDK', async () => {
    const { perCall } = armThrottlePolicies(new ReadBudgets(), { baseDelayMs: 10, maxAttempts: 4 });
    let calls = 0;
    const flaky = (request: PipelineRequest) => {
      calls += 1;
      return respond(calls < 3 ? 429 : 200)(request);
    };
    assert.equal((await perCall.sendRequest(createPipelineRequest({ url: URL_A }), flaky)).status, 200);
    assert.equal(calls, 3);
    calls = 0;
    const alwaysThrottled = (request: PipelineRequest) => {
      calls += 1;
      return respond(429)(request);
    };
    assert.equal((await perCall.sendRequest(createPipelineRequest({ url: URL_A }), alwaysThrottled)).status, 429, 'gives up after maxAttempts');
    assert.equal(calls, 4);
    calls = 0;
    const withRetryAfter = (request: PipelineRequest) => {
      calls += 1;
      return respond(429, { 'retry-after': '2' })(request);
    };
    assert.equal((await perCall.sendRequest(createPipelineRequest({ url: URL_A }), withRetryAfter)).status, 429);
    assert.equal(calls, 1, 'the SDK throttling policy handles Retry-After');
  });
});

describe('ARM waits are told to a listener', () => {
  const listen = () => {
    const waits: ArmWait[] = [];
    return { waits, onWait: (wait: ArmWait) => waits.push(wait) };
  };

  it('a 429 with Retry-After is a throttling wait of that length, a 503 or 500 a retry, while the SDK will still retry', async () => {
    const { waits, onWait } = listen();
    const { perRetry } = armThrottlePolicies(new ReadBudgets({ burst: 100, refillPerSecond: 1000 }), { onWait });
    await perRetry.sendRequest(createPipelineRequest({ url: URL_A }), respond(429, { 'retry-after': '2' }));
    await perRetry.sendRequest(createPipelineRequest({ url: URL_B }), respond(503, { 'retry-after-ms': '1500' }));
    await perRetry.sendRequest(createPipelineRequest({ url: 'https://management.azure.com/subscriptions?api-version=2022-12-01' }), respond(500));
    await perRetry.sendRequest(createPipelineRequest({ url: URL_A }), respond(404));
    await perRetry.sendRequest(createPipelineRequest({ url: URL_A }), respond(429)); // no Retry-After: the per-call policy's to tell
    // (After the 429 the bucket of aaaa is empty: its next requests may wait for the budget, told as such.)
    assert.deepEqual(waits.filter((wait) => wait.kind !== 'budget'), [
      { kind: 'throttled', status: 429, waitMs: 2000, subscriptionId: 'aaaa' },
      { kind: 'retry', status: 503, waitMs: 1500, subscriptionId: 'bbbb' },
      { kind: 'retry', status: 500, subscriptionId: undefined },
    ]);
  });

  it('says nothing of the answer after which the SDK stops retrying', async () => {
    const { waits, onWait } = listen();
    const { perRetry } = armThrottlePolicies(new ReadBudgets({ burst: 100, refillPerSecond: 1000 }), { onWait });
    const request = createPipelineRequest({ url: URL_A });
    for (let attempt = 1; attempt <= SDK_MAX_RETRIES + 1; attempt += 1) await perRetry.sendRequest(request, respond(503, { 'retry-after': '1' }));
    assert.equal(waits.length, SDK_MAX_RETRIES, 'the last attempt is not retried, so it is no wait');
  });

  it('tells network errors the SDK retries, and the per-call backoff of a 429 without Retry-After', async () => {
    const { waits, onWait } = listen();
    const { perRetry, perCall } = armThrottlePolicies(new ReadBudgets(), { onWait, baseDelayMs: 10, maxAttempts: 3 });
    const reset = () => Promise.reject(new RestError('socket hang up', { code: 'ECONNRESET' }));
    await assert.rejects(perRetry.sendRequest(createPipelineRequest({ url: URL_B }), reset));
    let calls = 0;
    await perCall.sendRequest(createPipelineRequest({ url: URL_A }), (request) => respond((calls += 1) < 3 ? 429 : 200)(request));
    assert.deepEqual(waits.map((w) => [w.kind, w.subscriptionId, w.status ?? w.code]), [['retry', 'bbbb', 'ECONNRESET'], ['throttled', 'aaaa', 429], ['throttled', 'aaaa', 429]]);
    assert.ok(waits.slice(1).every((w) => (w.waitMs ?? 0) > 0 && (w.waitMs ?? 0) <= 20), 'the backoff it waits');
  });

  it('tells a wait for the read budget before it starts', async () => {
    const { waits, onWait } = listen();
    const { perRetry } = armThrottlePolicies(new ReadBudgets({ burst: 1, refillPerSecond: 50 }), { onWait });
    await perRetry.sendRequest(createPipelineRequest({ url: URL_A }), respond(200));
    await perRetry.sendRequest(createPipelineRequest({ url: URL_A }), respond(200));
    assert.equal(waits.length, 1);
    assert.equal(waits[0]?.kind, 'budget');
    assert.equal(waits[0]?.subscriptionId, 'aaaa');
    assert.ok((waits[0]?.waitMs ?? 0) > 0 && (waits[0]?.waitMs ?? 0) <= 20, 'one token at 50/s: 20 ms at most');
  });

  it('a feed passes waits to its subscribers until they unsubscribe', () => {
    const feed = new ArmWaitFeed();
    const heard: string[] = [];
    const stop = feed.subscribe((wait) => heard.push(`one ${wait.kind}`));
    feed.subscribe((wait) => heard.push(`two ${wait.kind}`));
    feed.emit({ kind: 'retry' });
    stop();
    feed.emit({ kind: 'budget' });
    assert.deepEqual(heard, ['one retry', 'two retry', 'two budget']);
    assert.equal(subscriptionOfUrl(URL_A.replace('aaaa', 'AAAA')), 'aaaa');
    assert.equal(subscriptionOfUrl('https://management.azure.com/providers/Microsoft.HybridCompute/operations'), undefined);
  });
});
