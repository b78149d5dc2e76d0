import type { Finding } from './findings.js';

/**
 * An exemption: a rule everywhere, a resource for every rule, or one rule on one resource, with a
 * reason, an owner and an expiry. Suppressed findings are still stored (marked) but send no messages.
 */
export interface Suppression {
  readonly id: string;
  readonly ruleId?: string;
  readonly resourceId?: string;
  readonly reason: string;
  readonly owner: string;
  readonly expiresAt: string;
  readonly createdAt: string;
}

export function isActive(suppression: Suppression, now: Date): boolean {
  const expires = Date.parse(suppression.expiresAt);
  return Number.isFinite(expires) && expires > now.getTime();
}

/** The most specific active suppression that covers the finding (rule + resource before either alone). */
export function findSuppression(suppressions: readonly Suppression[], finding: Pick<Finding, 'ruleId' | 'resourceId'>, now: Date): Suppression | undefined {
  const resourceId = finding.resourceId.toLowerCase();
  const ruleId = finding.ruleId.toLowerCase();
  const matches = suppressions.filter((s) => isActive(s, now)
    && (s.ruleId === undefined || s.ruleId.toLowerCase() === ruleId)
    && (s.resourceId === undefined || s.resourceId.toLowerCase() === resourceId));
  return matches.sort((a, b) => specificity(b) - specificity(a) || a.id.localeCompare(b.id))[0];
}

function specificity(s: Suppression): number {
  return (s.ruleId ? 1 : 0) + (s.resourceId ? 2 : 0);
}
