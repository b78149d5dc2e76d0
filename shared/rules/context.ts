import type { ArcMachine } from '../domain/machine.js';
import type { EsuLicense } from '../domain/license.js';
import type { HostProfile } from '../domain/hostProfile.js';
import type { LicenseLink } from '../domain/licenseLink.js';
import type { OsFamily } from '../domain/operatingSystem.js';
import type { ProviderRegistration } from '../domain/provider.js';
import type { AgentVersion } from '../domain/versions.js';
import type { LicenseLedgerEntry } from '../scan/licenseLedger.js';

/** Thresholds that Microsoft may move; defaults come from the ESU documentation. */
export interface RuleSettings {
  readonly minimumAgentVersion: string;
  readonly pCoreMinimum: number;
  readonly vCoreMinimum: number;
  /** Newest Connected Machine agent known when the agent-versions API gives none. */
  readonly newestKnownAgentVersion: string;
  /** Agents release monthly; older than this many releases behind the newest is unsupported. */
  readonly agentSupportMonths: number;
  /** Azure Policy guest configuration is free on Azure Stack HCI from this agent version. */
  readonly hciGuestConfigurationAgentVersion: string;
  readonly maximumLicenseCores: number;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  minimumAgentVersion: '1.34',
  pCoreMinimum: 16,
  vCoreMinimum: 8,
  newestKnownAgentVersion: '1.61',
  agentSupportMonths: 12,
  hciGuestConfigurationAgentVersion: '1.39',
  maximumLicenseCores: 10_000,
};

export interface EvaluationContext {
  readonly now: Date;
  readonly settings: RuleSettings;
  /** From the agent-versions API for this run, when it answered. */
  readonly latestAgentVersion?: string;
  /** ESU licenses of the subscription being scanned (a machine may also use one from elsewhere in the tenant). */
  readonly licenses?: readonly EsuLicense[];
  /** Cores of a license not yet claimed by the machines read so far in this subscription. */
  readonly spareCores?: (license: EsuLicense) => number | undefined;
}

/** A machine with the facts rules derive from it once, so every rule reads them the same way. */
export interface MachineSubject extends ArcMachine {
  readonly osFamily: OsFamily;
  readonly inScope: boolean;
  readonly host: HostProfile;
  readonly link: LicenseLink;
  /** `agentVersion` parsed once (undefined when missing or not a version number). */
  readonly agentVersionParsed?: AgentVersion;
  /** The linked license when it is in the same subscription. */
  readonly linkedLicense?: EsuLicense;
}

export type LicenseSubject = EsuLicense;
export type TenantLicenseSubject = LicenseLedgerEntry;

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
