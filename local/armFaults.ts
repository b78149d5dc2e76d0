// Deterministic fault injection for the ARM stand-in. Whether a request fails depends only on the seed, the
// request URL and how many times that URL was asked before, so a run is reproducible however requests
// interleave, and a retried request gets a fresh draw (a 503 is not sticky unless the rate is 1).
import type { ArmErrorReply } from './armErrors.js';
import { hash32, hashString, mulberry32 } from './prng.js';

export interface FaultOptions {
  /** Fraction [0, 1] of requests answered 503 with `Retry-After: 1`. */
  error503Rate?: number;
  /** Fraction [0, 1] of requests (not answered 503) delayed by `slowPageMs`. */
  slowPageRate?: number;
  /** Default 1000. */
  slowPageMs?: number;
  /** Default 1. */
  seed?: number;
  /** Only requests whose path matches this regular expression (case-insensitive) get faults; default all. */
  pathPattern?: string;
}

export type FaultDecision = { readonly kind: 'none' } | { readonly kind: '503' } | { readonly kind: 'slow'; readonly delayMs: number };

const rate = (name: string, value: number | undefined): number => {
  const v = value ?? 0;
  if (!(v >= 0 && v <= 1)) throw new Error(`faults.${name} must be within [0, 1], got ${value}`);
  return v;
};

export class FaultInjector {
  private readonly error503Rate: number;
  private readonly slowPageRate: number;
  private readonly slowPageMs: number;
  private readonly seed: number;
  private readonly pathPattern: RegExp | undefined;
  /** URL hash → requests seen; a few thousand entries for a 100k-machine run. */
  private readonly attempts = new Map<number, number>();

  constructor(options: FaultOptions) {
    this.error503Rate = rate('error503Rate', options.error503Rate);
    this.slowPageRate = rate('slowPageRate', options.slowPageRate);
    this.slowPageMs = options.slowPageMs ?? 1000;
    if (!(this.slowPageMs >= 0) || !Number.isFinite(this.slowPageMs)) throw new Error(`faults.slowPageMs must be ≥ 0, got ${options.slowPageMs}`);
    this.seed = options.seed ?? 1;
    this.pathPattern = options.pathPattern === undefined ? undefined : new RegExp(options.pathPattern, 'i');
  }

  decide(url: URL): FaultDecision {
    if (this.error503Rate === 0 && this.slowPageRate === 0) return { kind: 'none' };
    if (this.pathPattern && !this.pathPattern.test(url.pathname)) return { kind: 'none' };
    const key = hashString(`${url.pathname.toLowerCase()}?${url.search}`);
    const attempt = this.attempts.get(key) ?? 0;
    this.attempts.set(key, attempt + 1);
    const random = mulberry32(hash32(this.seed, key, attempt));
    if (random() < this.error503Rate) return { kind: '503' };
    if (random() < this.slowPageRate) return { kind: 'slow', delayMs: this.slowPageMs };
    return { kind: 'none' };
  }
}

export const serviceUnavailable = (): ArmErrorReply => ({
  status: 503,
  body: { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable. Please retry the request.' } },
  headers: { 'retry-after': '1' },
});
