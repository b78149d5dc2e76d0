import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from '@azure/core-rest-pipeline';

/** ARM's read budget per subscription per principal (token bucket): 250 burst, 25 per second refill. */
export interface ReadBudget {
  readonly burst: number;
  readonly refillPerSecond: number;
}

export const ARM_READ_BUDGET: ReadBudget = { burst: 250, refillPerSecond: 25 };

/** A client-side copy of ARM's bucket, so the scanner spends its budget evenly instead of hitting 429s. */
export class TokenBucket {
  private tokens: number;
  private updatedAt = Date.now();

  constructor(private readonly budget: ReadBudget) {
    this.tokens = budget.burst;
  }

  /** Waits until a token is available, then takes it. */
  async take(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) / this.budget.refillPerSecond) * 1000);
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
    const key = /\/subscriptions\/([^/?]+)/i.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? '(tenant)';
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
  return {
    perRetry: {
      name: 'armReadBudget',
      async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
        const bucket = budgets.bucketFor(request.url);
        await bucket.take();
        const response = await next(request);
        const remaining = Number(response.headers.get('x-ms-ratelimit-remaining-subscription-reads'));
        if (Number.isFinite(remaining) && response.headers.has('x-ms-ratelimit-remaining-subscription-reads')) bucket.observeRemaining(remaining);
        if (response.status === 429) {
          budgets.throttled += 1;
          bucket.drain();
        }
        return response;
      },
    },
    perCall: {
      name: 'armThrottleWithoutRetryAfter',
      async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
        let response = await next(request);
        for (let attempt = 1; attempt < maxAttempts && response.status === 429 && !hasRetryAfter(response); attempt += 1) {
          const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
          await delay(backoff / 2 + Math.random() * (backoff / 2));
          response = await next(request);
        }
        return response;
      },
    },
  };
}

function hasRetryAfter(response: PipelineResponse): boolean {
  return ['retry-after', 'retry-after-ms', 'x-ms-retry-after-ms'].some((name) => response.headers.has(name));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
