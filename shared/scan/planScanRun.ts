import type { ArmLists } from './armPorts.js';
import { isSubscriptionId, newScanId } from './scanRequest.js';
import type { ScanRequest } from './scanRequest.js';

export interface ScanPlan {
  readonly scanId: string;
  readonly startedAt: string;
  readonly requests: readonly ScanRequest[];
  /** Configured ids that are not subscription ids; reported, never scanned. */
  readonly rejectedIds: readonly string[];
}

/** Splits `ESU_SUBSCRIPTION_IDS` (commas, semicolons or white space). */
export function parseSubscriptionList(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,;]+/).map((id) => id.trim()).filter((id) => id.length > 0);
}

/**
 * Decides which subscriptions one run scans: the configured list, or every enabled subscription
 * the identity can read. One request per subscription, all sharing one scan id.
 */
export async function planScanRun(arm: ArmLists, configuredIds: readonly string[], now: Date): Promise<ScanPlan> {
  const scanId = newScanId(now);
  const requestedAt = now.toISOString();
  const rejectedIds = configuredIds.filter((id) => !isSubscriptionId(id));
  let ids: string[];
  if (configuredIds.length > 0) {
    ids = configuredIds.filter(isSubscriptionId);
  } else {
    ids = [];
    for await (const subscription of arm.listSubscriptions()) {
      if (subscription.state === 'Disabled' || subscription.state === 'Deleted') continue;
      ids.push(subscription.subscriptionId);
    }
  }
  // In id order: the same order every run, and the findings partitions (keyed by subscription id) fill in key
  // order, which Azurite absorbs faster (it keeps each table sorted by key, so out-of-order inserts move rows).
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))].sort();
  const requests = unique.map((subscriptionId) => ({ scanId, subscriptionId, requestedAt }));
  return { scanId, startedAt: requestedAt, requests, rejectedIds };
}
