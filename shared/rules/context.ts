import type { ArcMachine } from '../domain/machine.js';
import type { EsuLicense } from '../domain/license.js';
import type { HostProfile } from '../domain/hostProfile.js';
import type { LicenseLink } from '../domain/licenseLink.js';
import type { OsEdition, OsFamily } from '../domain/operatingSystem.js';
import { DEFAULT_PROGRAMS, type AgentAdvisory, type EsuProgramId, type ProgramCatalogue } from '../programs/program.js';
import { AGENT_ADVISORIES } from '../programs/agentAdvisories.js';
import { AGENT_RELEASES } from '../programs/agentReleases.js';
import type { AgentRelease } from '../programs/releaseNotes.js';
import type { PolicyAssignment } from '../domain/policyAssignment.js';
import type { ProviderRegistration } from '../domain/provider.js';
import type { AgentVersion } from '../domain/versions.js';
import type { LicenseLedgerEntry } from '../plan/licenseLedger.js';
import type { PatchEvidenceIndex } from '../domain/patchEvidence.js';

/** Thresholds that Microsoft may move; defaults come from the ESU documentation. */
export interface RuleSettings {
  /** The ESU programs with their calendars and agent minimums (`shared/programs/catalogue.ts`, overridable). */
  readonly programs: ProgramCatalogue;
  /** Published CVE records of the Connected Machine agent (`shared/programs/agentAdvisories.ts`, generated from the records). */
  readonly agentAdvisories: readonly AgentAdvisory[];
  readonly pCoreMinimum: number;
  readonly vCoreMinimum: number;
  /** Connected Machine agent releases with their month (`shared/programs/agentReleases.ts`, from the release notes). */
  readonly agentReleases: readonly AgentRelease[];
  /** An agent is supported for this many months after its release month (the release notes: "within the last year"). */
  readonly agentSupportMonths: number;
  /** Azure Policy guest configuration is free on Azure Stack HCI from this agent version. */
  readonly hciGuestConfigurationAgentVersion: string;
  readonly maximumLicenseCores: number;
  /** Licenses one resource group may hold (license guidelines, "License limits"). */
  readonly maximumLicensesPerResourceGroup: number;
  /** An Update Manager assessment older than this many days no longer shows the machine's patch state. */
  readonly patchAssessmentMaxAgeDays: number;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  programs: DEFAULT_PROGRAMS,
  agentAdvisories: AGENT_ADVISORIES,
  pCoreMinimum: 16,
  vCoreMinimum: 8,
  agentReleases: AGENT_RELEASES,
  agentSupportMonths: 12,
  hciGuestConfigurationAgentVersion: '1.39',
  maximumLicenseCores: 10_000,
  maximumLicensesPerResourceGroup: 800,
  // Periodic assessment runs every 24 hours and Resource Graph keeps results 7 days: three missed runs is stale.
  patchAssessmentMaxAgeDays: 3,
};

export interface EvaluationContext {
  /** The evaluation time: now, or the date of `esu-scan scan --as-of`. Every time-dependent rule reads it. */
  readonly now: Date;
  readonly settings: RuleSettings;
  /** The newest agent version reported by the machines of this scan read so far (in ARM order); absent outside a scan. */
  readonly newestReportedAgentVersion?: () => string | undefined;
  /** Enforced ESU license Deny assignments of the subscription: license jobs in their scope name them. */
  readonly licenseWriteBlockers?: readonly PolicyAssignment[];
  /** Guest configuration and Update Manager evidence of the subscription's machines; absent = not read at all (patch rules stay silent). */
  readonly patchEvidence?: PatchEvidenceIndex;
}

/** A machine with the facts rules derive from it once, so every rule reads them the same way. */
export interface MachineSubject extends ArcMachine {
  readonly osFamily: OsFamily;
  readonly edition: OsEdition;
  /** The ESU program of the machine's Windows version, whatever its edition or phase. */
  readonly programId?: EsuProgramId;
  /** Its program can be licensed through Azure Arc and covers its edition (phase aside). */
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
  /** Undefined when the provider list could not be read (its read failure is the finding). */
  readonly providers?: readonly ProviderRegistration[];
  /** Undefined when the policy assignments could not be read. */
  readonly policyAssignments?: readonly PolicyAssignment[];
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
