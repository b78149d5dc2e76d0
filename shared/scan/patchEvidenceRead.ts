import { PatchEvidenceIndex, parseEsuGuestAssignment } from '../domain/patchEvidence.js';
import { subscriptionResourceId } from '../domain/resourceId.js';
import { MalformedResponseError } from '../adapters/arm/armErrors.js';
import { ListItems } from '../adapters/arm/armList.js';
import type { PatchAssessmentAnswer, ResourceGraphReader } from '../adapters/arm/resourceGraphReader.js';
import type { ReadFailureSubject } from '../rules/context.js';
import { describeReadError } from '../adapters/arm/armErrors.js';

export const GUEST_CONFIGURATION_PATH = 'providers/Microsoft.GuestConfiguration/guestConfigurationAssignments';
export const GUEST_CONFIGURATION_TYPE = 'Microsoft.GuestConfiguration/guestConfigurationAssignments';
/** Where a failed Resource Graph read is reported: one finding per subscription it left without evidence. */
export const RESOURCE_GRAPH_PATH = 'providers/Microsoft.ResourceGraph/resources';
export const RESOURCE_GRAPH_TYPE = 'Microsoft.ResourceGraph/resources';

/** Where a subscription scan gets its Update Manager assessments from. */
export interface PatchAssessmentSource {
  forSubscription(subscriptionId: string): Promise<PatchAssessmentAnswer>;
}

/**
 * The CLI's run knows every subscription it scans: one Resource Graph query (paged, 1,000 subscriptions a
 * request) serves them all, sent when the first scan asks. A subscription outside the list gets its own query.
 */
export function runWidePatchAssessments(reader: ResourceGraphReader, subscriptionIds: readonly string[]): PatchAssessmentSource {
  const known = new Set(subscriptionIds.map((id) => id.toLowerCase()));
  let answer: Promise<PatchAssessmentAnswer> | undefined;
  return {
    forSubscription(subscriptionId) {
      if (!known.has(subscriptionId.toLowerCase())) return reader.queryPatchAssessments([subscriptionId]);
      answer ??= reader.queryPatchAssessments(subscriptionIds);
      return answer;
    },
  };
}

/** In Azure each queue-triggered scan covers one subscription: one query for it (its own paging and quota). */
export function perScanPatchAssessments(reader: ResourceGraphReader): PatchAssessmentSource {
  return { forSubscription: (subscriptionId) => reader.queryPatchAssessments([subscriptionId]) };
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface PatchEvidenceRead {
  readonly index: PatchEvidenceIndex;
  /** The guest configuration list could not be read (reported like any list). */
  readonly guestConfigurationError?: unknown;
  /** Assignments the list check or the parser left out (one finding on the list). */
  readonly guestConfigurationItems: ListItems;
  readonly guestConfigurationSkipped: readonly string[];
  /** The Resource Graph answer for this subscription was unreadable, malformed or partial. */
  readonly updateManagerError?: unknown;
}

/**
 * Both sources for one subscription, into one index. A source that failed is marked unread, so no rule reads
 * its silence as "patched" or "no evidence"; its failure is an Error finding of its own.
 */
export function collectPatchEvidence(
  subscriptionId: string,
  guestAssignments: Outcome<unknown[]>,
  assessments: Outcome<PatchAssessmentAnswer>,
  configurationName: string,
): PatchEvidenceRead {
  let updateManagerError: unknown;
  if (!assessments.ok) updateManagerError = assessments.error;
  else {
    const problems = assessments.value.problemsOf(subscriptionId);
    if (problems.length > 0) updateManagerError = new MalformedResponseError(`/${RESOURCE_GRAPH_PATH}`, `Resource Graph rows of this subscription could not be read: ${problems.join('; ')}`);
  }
  const index = new PatchEvidenceIndex(guestAssignments.ok, updateManagerError === undefined);
  const guestConfigurationItems = new ListItems(subscriptionId);
  const skipped: string[] = [];
  if (guestAssignments.ok) {
    for (const raw of guestConfigurationItems.take(guestAssignments.value)) {
      const parsed = parseEsuGuestAssignment(raw, configurationName);
      if (!parsed.ok) skipped.push(parsed.reason);
      else if (parsed.value) index.addAssignment(parsed.value.machineId, parsed.value.assignment);
    }
  }
  if (assessments.ok && updateManagerError === undefined) for (const row of assessments.value.rowsOf(subscriptionId)) index.addRow(row);
  return {
    index,
    guestConfigurationItems,
    guestConfigurationSkipped: skipped,
    ...(guestAssignments.ok ? {} : { guestConfigurationError: guestAssignments.error }),
    ...(updateManagerError === undefined ? {} : { updateManagerError }),
  };
}

/** The read-failure subject of a Resource Graph read: never subscription-wide (Resource Graph has its own access and quota). */
export function resourceGraphFailureSubject(subscriptionId: string, error: unknown): ReadFailureSubject {
  return { subscriptionId, resourceId: `${subscriptionResourceId(subscriptionId)}/${RESOURCE_GRAPH_PATH}`, resourceType: RESOURCE_GRAPH_TYPE, ...describeReadError(error) };
}
