import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from '@azure/core-rest-pipeline';
import type { ArmWait, ArmWaitListener } from '../../scan/armPorts.js';

/** ARM's read budget per subscription per principal (token bucket): 250 burst, 25 per second refill. */
export interface ReadBudget {
  readonly burst: number;
  readonly refillPerSecond: number;
}

export const ARM_READ_BUDGET: ReadBudget = { burst: 250, refillPerSecond: 25 };

/** Retries of the SDK's own retry policy (its default, set explicitly so a wait is only announced when a retry follows). */
export const SDK_MAX_RETRIES = 3;

/** Passes ARM waits on to whoever listens (the CLI's progress, a Functions invocation's log), without globals. */
export class ArmWaitFeed {
  private readonly listeners = new Set<ArmWaitListener>();

  /** Returns the unsubscribe. */
  subscribe(listener: ArmWaitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  readonly emit: ArmWaitListener = (wait) => {
    for (const listener of this.listeners) listener(wait);
  };
}

/** The subscription a request's budget (and its waits) belong to: lower case, or undefined for tenant reads. */
export function subscriptionOfUrl(url: string): string | undefined {
  return /\/subscriptions\/([^/?]+)/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
}

/** A client-side copy of ARM's bucket, so the scanner spends its budget evenly instead of hitting 429s. */
export class TokenBucket {
  private tokens: number;
  private updatedAt = Date.now();

  constructor(private readonly budget: ReadBudget) {
    this.tokens = budget.burst;
  }

  /** Waits until a token is available, then takes it; `onWait` hears each wait before it starts. */
  async take(onWait?: (waitMs: number) => void): Promise<void> {
    // One wait is told once: a timer that fires a hair early loops once more, which is not a second wait.
    let told = false;
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) / this.budget.refillPerSecond) * 1000);
      if (!told) onWait?.(waitMs);
      told = true;
      await delay(waitMs);
    }
  }

  /** ARM says how many reads are left (`x-ms-ratelimit-remaining-subscription-reads`): never believe we have more. */
  observeRemaining(remaining: number): void {
    this.refill();
    if (remaining < this.tokens) this.tokens = remaining;
  }

  /** After a 429 the bucket is empty, whatever we counted. */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.budget.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.budget.refillPerSecond);
    this.updatedAt = now;
  }
}

/** One bucket per subscription (and one for tenant-level reads), for one principal. */
export class ReadBudgets {
  private readonly buckets = new Map<string, TokenBucket>();
  /** 429 answers seen, for the benchmark's figures. */
  throttled = 0;

  constructor(private readonly budget: ReadBudget = ARM_READ_BUDGET) {}

  bucketFor(url: string): TokenBucket {
    const key = subscriptionOfUrl(url) ?? '(tenant)';
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(this.budget)));
    return bucket;
  }
}

export interface ThrottleOptions {
  /** Attempts for a 429 that carries no Retry-After (the SDK does not retry those itself). */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Hears every wait: before a paced request, and for each 429 or failure that will be retried. */
  readonly onWait?: ArmWaitListener;
}

/**
 * Per retry: take a token before each request, and learn from the answer (remaining reads, 429).
 * Per call: retry a 429 without Retry-After with exponential backoff and jitter; 429s with Retry-After
 * are already retried by the SDK's throttling policy, after exactly the delay ARM asks for.
 */
export function armThrottlePolicies(budgets: ReadBudgets, options: ThrottleOptions = {}): { perCall: PipelinePolicy; perRetry: PipelinePolicy } {
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const onWait = options.onWait;
  // The SDK's retry policy sends the same request object again: its attempts tell whether a retry follows.
  const attempts = new WeakMap<PipelineRequest, number>();
  return {
    perRetry: {
      name: 'armReadBudget',
      async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
        const bucket = budgets.bucketFor(request.url);
        const attempt = (attempts.get(request) ?? 0) + 1;
        attempts.set(request, attempt);
        const subscriptionId = subscriptionOfUrl(request.url);
        await bucket.take(onWait && ((waitMs) => onWait({ kind: 'budget', subscriptionId, waitMs })));
        let response: PipelineResponse;
        try {
          response = await next(request);
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (attempt <= SDK_MAX_RETRIES && typeof code === 'string' && SDK_RETRIED_ERROR_CODES.has(code)) onWait?.({ kind: 'retry', subscriptionId, code });
          throw error;
        }
        if (onWait && attempt <= SDK_MAX_RETRIES) {
          const wait = sdkRetryOf(response);
          if (wait) onWait({ ...wait, subscriptionId });
        }
        return learn(bucket, response);
      },
    },
    perCall: {
      name: 'armThrottleWithoutRetryAfter',
      async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
        let response = await next(request);
        for (let attempt = 1; attempt < maxAttempts && response.status === 429 && !hasRetryAfter(response); attempt += 1) {
          const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
          const waitMs = backoff / 2 + Math.random() * (backoff / 2);
          onWait?.({ kind: 'throttled', subscriptionId: subscriptionOfUrl(request.url), waitMs, status: 429 });
          await delay(waitMs);
          attempts.delete(request); // a fresh round of the SDK's retries
          response = await next(request);
        }
        return response;
      },
    },
  };

  function learn(bucket: TokenBucket, response: PipelineResponse): PipelineResponse {
    const remaining = Number(response.headers.get('x-ms-ratelimit-remaining-subscription-reads'));
    if (Number.isFinite(remaining) && response.headers.has('x-ms-ratelimit-remaining-subscription-reads')) bucket.observeRemaining(remaining);
    if (response.status === 429) {
      budgets.throttled += 1;
      bucket.drain();
    }
    return response;
  }
}

/** Network errors the SDK's exponential retry strategy retries. */
const SDK_RETRIED_ERROR_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'ENOTFOUND']);

/**
 * What the SDK's retry policy will do with an answer (core-rest-pipeline's throttling and exponential strategies):
 * a 429 or 503 with Retry-After waits exactly that; 408 and other 5xx (not 501, 505) back off exponentially.
 * A 429 without Retry-After is left alone by the SDK (our per-call policy retries it and says so itself).
 */
function sdkRetryOf(response: PipelineResponse): Omit<ArmWait, 'subscriptionId'> | undefined {
  const { status } = response;
  const waitMs = retryAfterMs(response);
  if (status === 429) return waitMs === undefined ? undefined : { kind: 'throttled', status, waitMs };
  if (status === 408 || (status >= 500 && status !== 501 && status !== 505)) return { kind: 'retry', status, ...(status === 503 && waitMs !== undefined ? { waitMs } : {}) };
  return undefined;
}

function retryAfterMs(response: PipelineResponse): number | undefined {
  for (const [name, factor] of [['retry-after-ms', 1], ['x-ms-retry-after-ms', 1], ['retry-after', 1000]] as const) {
    const value = response.headers.get(name);
    if (value === undefined || value.trim() === '') continue;
    const number = Number(value);
    if (Number.isFinite(number)) return number * factor;
    const date = Date.parse(value);
    if (name === 'retry-after' && Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return undefined;
}

function hasRetryAfter(response: PipelineResponse): boolean {
  return ['retry-after', 'retry-after-ms', 'x-ms-retry-after-ms'].some((name) => response.headers.has(name));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
