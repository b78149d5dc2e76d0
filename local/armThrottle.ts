// ARM-like read throttling for the stand-in: a token bucket per subscription per principal (requests outside
// /subscriptions/{s} share a tenant bucket per principal). ARM's defaults are 250 burst, 25/s refill.
import type { ArmErrorReply } from './armErrors.js';

export interface ThrottleOptions {
  burst: number;
  refillPerSecond: number;
}

export type ThrottleDecision =
  | { readonly allowed: true; readonly remaining: number; readonly scope: 'subscription' | 'tenant' }
  | { readonly allowed: false; readonly retryAfterSeconds: number; readonly scope: 'subscription' | 'tenant' };

interface Bucket {
  tokens: number;
  at: number;
}

export class ArmThrottle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: ThrottleOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(options.burst >= 1) || !Number.isFinite(options.burst)) throw new Error(`throttle.burst must be ≥ 1, got ${options.burst}`);
    if (!(options.refillPerSecond > 0) || !Number.isFinite(options.refillPerSecond)) {
      throw new Error(`throttle.refillPerSecond must be > 0, got ${options.refillPerSecond}`);
    }
  }

  /** Takes one token from the bucket of (principal, subscription); a refused request takes none. */
  take(principal: string, subscriptionId: string | undefined): ThrottleDecision {
    const scope = subscriptionId === undefined ? 'tenant' : 'subscription';
    const key = `${subscriptionId?.toLowerCase() ?? ''}\n${principal}`;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = { tokens: this.options.burst, at: now }));
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.refillPerSecond);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), scope };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.refillPerSecond));
    return { allowed: false, retryAfterSeconds, scope };
  }
}

/** The header ARM sets on every read with what is left in the bucket. */
export const remainingReadsHeader = (scope: 'subscription' | 'tenant'): string => `x-ms-ratelimit-remaining-${scope}-reads`;

export function tooManyRequests(decision: { retryAfterSeconds: number; scope: 'subscription' | 'tenant' }, subscriptionId: string | undefined): ArmErrorReply {
  const where = subscriptionId === undefined ? 'the tenant' : `subscription '${subscriptionId}'`;
  return {
    status: 429,
    body: {
      error: {
        code: 'TooManyRequests',
        message:
          `Number of 'read' requests for ${where} actor exceeded. Please try again after ` +
          `'${decision.retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
      },
    },
    headers: { 'retry-after': String(decision.retryAfterSeconds), [remainingReadsHeader(decision.scope)]: '0' },
  };
}
