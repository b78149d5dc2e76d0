import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { isRestError } from '@azure/core-rest-pipeline';
import { CLAIM_TIMEOUT_MS } from './scanRunStore.js';
import { partitionKeyForSubscription } from './tableKeys.js';
import type { SubscriptionLocks } from '../../scan/scanPorts.js';

const CLAIM_PARTITION = 'claim';

/**
 * Which delivery of which queue message holds a claim. The host delivers a message again only after the
 * delivery before it ended: one that failed released its claim, so a claim still held by an earlier
 * delivery of the same message belongs to an execution that was killed (timeout, out of memory, scale-in).
 */
export interface Delivery {
  readonly messageId: string;
  readonly dequeueCount: number;
}

export interface Claim {
  readonly subscriptionId: string;
  readonly etag: string;
}

/** A subscription another scanner holds; the caller waits, or gives up (the queue retries the request later). */
export class SubscriptionBusyError extends Error {
  override readonly name = 'SubscriptionBusyError';
}

/**
 * One scan per subscription at a time, across processes (the timer's run, a re-delivered queue message, a CLI
 * run on the same storage): a row per subscription in the scan-runs table, created or taken over under its
 * ETag, so of two scanners exactly one holds it. A claim older than a function may run (its holder died), or
 * held by an earlier delivery of the same queue message (see Delivery), is taken over; the holder deletes it when done.
 */
export class SubscriptionClaims implements SubscriptionLocks<Claim> {
  constructor(private readonly table: TableClient, private readonly timeoutMs = CLAIM_TIMEOUT_MS) {}

  /** The claim, or who holds it when another scanner does. */
  async tryAcquire(subscriptionId: string, holder: string, now = new Date(), delivery?: Delivery): Promise<Claim | { heldBy: string; since: string }> {
    const rowKey = partitionKeyForSubscription(subscriptionId);
    // The token tells this attempt's row from another scanner's: the pipeline retries a create whose answer was
    // lost, and the retry then meets the row its own first attempt wrote (409).
    const fields = { holder, claimedAt: now.toISOString(), claimToken: randomUUID(), ...(delivery ? { messageId: delivery.messageId, dequeueCount: delivery.dequeueCount } : {}) };
    try {
      const created = await this.table.createEntity({ partitionKey: CLAIM_PARTITION, rowKey, ...fields });
      return { subscriptionId, etag: created.etag ?? '*' };
    } catch (error) {
      if (!isRestError(error) || error.statusCode !== 409) throw error;
    }
    const current = await this.table.getEntity<{ holder?: string; claimedAt?: string; claimToken?: string; messageId?: string; dequeueCount?: number }>(CLAIM_PARTITION, rowKey).catch((error: unknown) => {
      // Released between our 409 and this read: the holder finished; the caller polls and creates it next time.
      if (isRestError(error) && error.statusCode === 404) return undefined;
      throw error;
    });
    if (!current) return { heldBy: 'a scanner that just released it', since: now.toISOString() };
    if (current.claimToken === fields.claimToken) return { subscriptionId, etag: current.etag };
    const heldByKilledDelivery = delivery !== undefined && current.messageId === delivery.messageId && (current.dequeueCount ?? Infinity) < delivery.dequeueCount;
    if (!heldByKilledDelivery && now.getTime() - Date.parse(current.claimedAt ?? '') <= this.timeoutMs) return { heldBy: current.holder ?? '?', since: current.claimedAt ?? '?' };
    try {
      const taken = await this.table.updateEntity({ partitionKey: CLAIM_PARTITION, rowKey, ...fields }, 'Replace', { etag: current.etag });
      return { subscriptionId, etag: taken.etag ?? '*' };
    } catch (error) {
      if (isRestError(error) && error.statusCode === 412) {
        // A take-over retried after it landed answers 412 too: the row then holds this attempt's token.
        const after = await this.table.getEntity<{ claimToken?: string }>(CLAIM_PARTITION, rowKey);
        if (after.claimToken === fields.claimToken) return { subscriptionId, etag: after.etag };
        return { heldBy: 'another scanner', since: now.toISOString() };
      }
      throw error;
    }
  }

  /** Waits (polling every `pollMs`) up to `waitMs` for the claim; then throws SubscriptionBusyError. */
  async acquire(subscriptionId: string, holder: string, waitMs: number, pollMs = 2_000, delivery?: Delivery): Promise<Claim> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const outcome = await this.tryAcquire(subscriptionId, holder, new Date(), delivery);
      if ('etag' in outcome) return outcome;
      if (Date.now() >= deadline) throw new SubscriptionBusyError(`subscription ${subscriptionId} is being scanned by ${outcome.heldBy} since ${outcome.since}; not scanned twice at once`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    }
  }

  /** Deletes the claim if it is still ours (a claim taken over after a timeout belongs to its new holder). */
  async release(claim: Claim): Promise<void> {
    await this.table.deleteEntity(CLAIM_PARTITION, partitionKeyForSubscription(claim.subscriptionId), { etag: claim.etag }).catch((error: unknown) => {
      if (!isRestError(error) || (error.statusCode !== 412 && error.statusCode !== 404)) throw error;
    });
  }
}
