import type { ArcMachine } from '../domain/machine.js';
import type { EsuLicense } from '../domain/license.js';
import type { ProviderRegistration } from '../domain/provider.js';

/** Thresholds that Microsoft may move; defaults come from the ESU documentation. */
export interface RuleSettings {
  readonly minimumAgentVersion: string;
  readonly pCoreMinimum: number;
  readonly vCoreMinimum: number;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  minimumAgentVersion: '1.34',
  pCoreMinimum: 16,
  vCoreMinimum: 8,
};

export interface EvaluationContext {
  readonly now: Date;
  readonly settings: RuleSettings;
}

export type MachineSubject = ArcMachine;
export type LicenseSubject = EsuLicense;

/** A subscription after its machines were read: providers plus facts gathered while streaming machines. */
export interface SubscriptionSubject {
  readonly subscriptionId: string;
  readonly providers: readonly ProviderRegistration[];
  readonly sqlDiscoveredInScope: boolean;
}

/** A list that could not be read: the whole subscription, or one of its collections. */
export interface ReadFailureSubject {
  readonly subscriptionId: string;
  /** `/subscriptions/{id}` or the collection path that failed. */
  readonly resourceId: string;
  readonly resourceType: string;
  readonly statusCode?: number;
  readonly code: string;
  readonly detail: string;
}
