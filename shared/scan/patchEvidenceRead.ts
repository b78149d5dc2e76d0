import { PatchEvidenceIndex } from '../domain/patchEvidence.js';
import { subscriptionResourceId } from '../domain/resourceId.js';
import type { PolicyAssignment } from '../domain/policyAssignment.js';
import type { GuestConfigurationAnswer, PatchAssessmentAnswer, PatchEvidenceQueries } from './armPorts.js';
import type { ReadFailureSubject } from '../rules/context.js';
import { describeReadError, MalformedResponseError } from './readErrors.js';

/** Where a failed guest configuration read is reported: the subscription's guest configuration assignments. */
export const GUEST_CONFIGURATION_PATH = 'providers/Microsoft.GuestConfiguration/guestConfigurationAssignments';
export const GUEST_CONFIGURATION_TYPE = 'Microsoft.GuestConfiguration/guestConfigurationAssignments';
/** Where a failed Resource Graph read is reported: one finding per subscription it left without evidence. */
export const RESOURCE_GRAPH_PATH = 'providers/Microsoft.ResourceGraph/resources';
export const RESOURCE_GRAPH_TYPE = 'Microsoft.ResourceGraph/resources';

/** Where a subscription scan gets its patch evidence from: two Resource Graph queries (see resourceGraphReader.ts). */
export interface PatchEvidenceSource {
  assessmentsFor(subscriptionId: string): Promise<PatchAssessmentAnswer>;
  guestConfigurationsFor(subscriptionId: string): Promise<GuestConfigurationAnswer>;
}

/** Each subscription scan, in Azure and in the CLI, queries for its own subscription (its own paging and quota). */
export function perScanPatchEvidence(reader: PatchEvidenceQueries): PatchEvidenceSource {
  return {
    assessmentsFor: (subscriptionId) => reader.queryPatchAssessments([subscriptionId]),
    guestConfigurationsFor: (subscriptionId) => reader.queryGuestConfigurations([subscriptionId]),
  };
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface PatchEvidenceRead {
  readonly index: PatchEvidenceIndex;
  /** The guest configuration rows for this subscription were unreadable, malformed or partial. */
  readonly guestConfigurationError?: unknown;
  /** The Update Manager rows for this subscription were unreadable, malformed or partial. */
  readonly updateManagerError?: unknown;
}

/** The error of one source for one subscription: its failed read, or its rows that could not be read. */
function sourceError(subscriptionId: string, outcome: Outcome<{ problemsOf(subscriptionId: string): readonly string[] }>, table: string): unknown {
  if (!outcome.ok) return outcome.error;
  const problems = outcome.value.problemsOf(subscriptionId);
  return problems.length > 0 ? new MalformedResponseError(`/${RESOURCE_GRAPH_PATH}`, `Resource Graph ${table} rows of this subscription could not be read: ${problems.join('; ')}`) : undefined;
}

/**
 * Both sources for one subscription, into one index. A source that failed is marked unread, so no rule reads
 * its silence as "patched" or "no evidence"; its failure is an Error finding of its own.
 */
export function collectPatchEvidence(
  subscriptionId: string,
  guestAssignments: Outcome<GuestConfigurationAnswer>,
  assessments: Outcome<PatchAssessmentAnswer>,
  esuPolicyAssignments?: readonly PolicyAssignment[],
): PatchEvidenceRead {
  const guestConfigurationError = sourceError(subscriptionId, guestAssignments, 'guestconfigurationresources');
  const updateManagerError = sourceError(subscriptionId, assessments, 'patchassessmentresources');
  const index = new PatchEvidenceIndex(guestConfigurationError === undefined, updateManagerError === undefined, esuPolicyAssignments);
  if (guestAssignments.ok && guestConfigurationError === undefined) {
    for (const row of guestAssignments.value.takeRowsOf(subscriptionId)) index.addAssignment(row.machineId, row.assignment);
  }
  if (assessments.ok && updateManagerError === undefined) for (const row of assessments.value.takeRowsOf(subscriptionId)) index.addRow(row);
  return {
    index,
    ...(guestConfigurationError === undefined ? {} : { guestConfigurationError }),
    ...(updateManagerError === undefined ? {} : { updateManagerError }),
  };
}

/** The read-failure subject of a Resource Graph read: never subscription-wide (Resource Graph has its own access and quota). */
export function resourceGraphFailureSubject(subscriptionId: string, error: unknown, path: string = RESOURCE_GRAPH_PATH, resourceType: string = RESOURCE_GRAPH_TYPE): ReadFailureSubject {
  return { subscriptionId, resourceId: `${subscriptionResourceId(subscriptionId)}/${path}`, resourceType, ...describeReadError(error) };
}
