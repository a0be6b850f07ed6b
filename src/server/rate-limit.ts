import { RateLimitError } from '../core/errors.ts';

export interface RateLimits {
  /** Requests that create or change something, per key per minute. */
  createsPerMinute: number;
  /** Requests that only read, per key per minute. */
  readsPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { createsPerMinute: 300, readsPerMinute: 600 };

interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * A token bucket per key and class: each refills continuously at its per-minute rate up to one
 * minute's worth, so a client may burst up to the limit and then proceeds at the rate.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = () => Date.now(),
  ) {}

  take(key: string, kind: 'create' | 'read'): void {
    const perMinute = kind === 'create' ? this.limits.createsPerMinute : this.limits.readsPerMinute;
    const ratePerMs = perMinute / 60_000;
    const id = `${kind}:${key}`;
    const t = this.now();
    const b = this.buckets.get(id) ?? { tokens: perMinute, updated: t };
    b.tokens = Math.min(perMinute, b.tokens + (t - b.updated) * ratePerMs);
    b.updated = t;
    this.buckets.set(id, b);
    if (b.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000));
      throw new RateLimitError(`rate limit: more than ${perMinute} ${kind} requests per minute for this key; retry in ${retryAfter} s`, retryAfter);
    }
    b.tokens -= 1;
  }
}
