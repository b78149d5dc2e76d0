import type { AssessmentRow, EsuGuestAssignmentRow } from '../domain/patchEvidence.js';

/** A subscription as the run plan needs it: which to scan, and which are switched off. */
export interface ListedSubscription {
  readonly subscriptionId: string;
  readonly state?: string;
}

/** The ARM lists a scan reads; each is validated and follows `nextLink` (bounded), machines arrive page by page. */
export interface ArmLists {
  listSubscriptions(): AsyncIterable<ListedSubscription>;
  listProviders(subscriptionId: string): Promise<unknown[]>;
  listLicenses(subscriptionId: string): Promise<unknown[]>;
  /** The subscription's machines, or one resource group's (the parallel chains of a large subscription). */
  listMachinePages(subscriptionId: string, resourceGroup?: string): AsyncIterable<unknown[]>;
  listResourceGroups(subscriptionId: string): Promise<unknown[]>;
  /** Policy assignments that apply to the subscription (its own, inherited from management groups, and below it). */
  listPolicyAssignments(subscriptionId: string): Promise<unknown[]>;
}

/** Rows of one run's query, per subscription, and the rows of each that could not be read. */
export interface ResourceGraphAnswer<T> {
  rowsOf(subscriptionId: string): readonly T[];
  /** The rows of a subscription, forgotten by the answer (a run-wide answer need not hold every subscription's rows to the end). */
  takeRowsOf(subscriptionId: string): readonly T[];
  /** Problems with this subscription's rows: any makes its read an Error, never a partial pass. */
  problemsOf(subscriptionId: string): readonly string[];
}
export type PatchAssessmentAnswer = ResourceGraphAnswer<AssessmentRow>;
/** ESU guest configuration assignments of Arc machines (rows of Azure VMs are read and left out). */
export type GuestConfigurationAnswer = ResourceGraphAnswer<EsuGuestAssignmentRow>;

/** The patch evidence a scan queries (Update Manager assessments, ESU guest configuration assignments). */
export interface PatchEvidenceQueries {
  queryPatchAssessments(subscriptionIds: readonly string[]): Promise<PatchAssessmentAnswer>;
  queryGuestConfigurations(subscriptionIds: readonly string[]): Promise<GuestConfigurationAnswer>;
}

/**
 * A request that waits before it goes (again): `throttled` ARM answered 429; `retry` ARM answered 408/5xx or
 * the connection failed, and the SDK retries; `budget` the client paces itself to its copy of ARM's read budget.
 */
export interface ArmWait {
  readonly kind: 'throttled' | 'retry' | 'budget';
  /** Lower-case subscription id of the request; absent for tenant-level reads. */
  readonly subscriptionId?: string;
  /** How long it waits; absent when the SDK's exponential backoff decides. */
  readonly waitMs?: number;
  /** The HTTP status that caused it, or the network error code. */
  readonly status?: number;
  readonly code?: string;
}

export type ArmWaitListener = (wait: ArmWait) => void;
