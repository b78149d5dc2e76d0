import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHttpHeaders, createPipelineRequest, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { armThrottlePolicies, ReadBudgets, TokenBucket } from '../../shared/adapters/arm/armThrottle.js';

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
