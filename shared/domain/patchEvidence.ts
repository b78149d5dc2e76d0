import { asNumber, asRecord, asString } from './read.js';
import type { PolicyAssignment } from './policyAssignment.js';
import { resourceIdDigest } from './resourceId.js';

/**
 * What the two patch sources say about one Arc machine: the ESU guest configuration assignment (Azure Policy
 * machine configuration) and the Azure Update Manager assessment (Resource Graph `patchassessmentresources`).
 */
export interface MachinePatchEvidence {
  readonly esuAssignment?: EsuGuestAssignment;
  readonly assessment?: PatchAssessment;
  /** Per-patch rows of the assessment (security and critical ones), when Resource Graph returned them. */
  readonly pendingPatches: readonly PendingPatch[];
}

export interface EsuGuestAssignment {
  readonly id: string;
  /** `Compliant`, `NonCompliant`, `Pending` (or whatever the service reports). */
  readonly complianceStatus?: string;
  readonly lastComplianceStatusChecked?: string;
  /** Reason phrases of the latest report, when the list carries them. */
  readonly reasons: readonly string[];
}

/** What rules read of an assessment (its id is not kept: its machine's evidence is found by machine id). */
export interface PatchAssessment {
  readonly status?: string;
  readonly lastModifiedDateTime?: string;
  /** `availablePatchCountByClassification`, keys lower-cased (empty when the row has no counts). */
  readonly availableByClassification: Readonly<Record<string, number>>;
  /** The row carried `availablePatchCountByClassification` (a failed or unfinished assessment may not). */
  readonly countsReported: boolean;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export interface PendingPatch {
  readonly patchName: string;
  readonly kbId?: string;
  readonly classifications: readonly string[];
  readonly publishedDateTime?: string;
}

/** Row types of `patchassessmentresources` for Arc machines (Resource Graph reports types lower-cased). */
export const ASSESSMENT_RESULT_TYPE = 'microsoft.hybridcompute/machines/patchassessmentresults';
export const SOFTWARE_PATCH_TYPE = 'microsoft.hybridcompute/machines/patchassessmentresults/softwarepatches';

/** Classifications whose pending updates count as missing ESU (security) updates on an enrolled machine. */
export const ESU_CLASSIFICATIONS = ['security', 'critical'] as const;
/** A per-patch classification the query's `has 'Security'` / `has 'Critical'` (whole terms, any case) returns. */
const ESU_CLASSIFIED = /\b(security|critical)\b/i;

/** Assessment statuses that carry no result yet, or a failed one: their rows may lack the counts. */
const UNFINISHED_STATUSES = new Set(['failed', 'inprogress', 'unknown']);

const MACHINE_ID = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.hybridcompute\/machines\/[^/]+)\//i;

/** The Arc machine a row or an extension resource belongs to (lower-cased), or undefined for anything else. */
export function machineIdOfChild(id: string): string | undefined {
  return MACHINE_ID.exec(id)?.[1]?.toLowerCase();
}

export function subscriptionIdOfChild(id: string): string | undefined {
  return /^\/subscriptions\/([^/]+)\//i.exec(id)?.[1]?.toLowerCase();
}

/** A row that cannot be read is reported, never guessed into a pass. */
export type RowResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** One Resource Graph row of `patchassessmentresources`, as the query projects it (`id`, `type`, `properties`). */
export type AssessmentRow =
  | { readonly kind: 'assessment'; readonly machineId: string; readonly assessment: PatchAssessment }
  | { readonly kind: 'patch'; readonly machineId: string; readonly patch: PendingPatch }
  | { readonly kind: 'other' };

export function parseAssessmentRow(raw: unknown): RowResult<AssessmentRow> {
  const row = asRecord(raw);
  const id = asString(row?.['id']);
  const type = asString(row?.['type'])?.toLowerCase();
  if (!row || !id || !type) return { ok: false, reason: 'a row without id or type' };
  if (type !== ASSESSMENT_RESULT_TYPE && type !== SOFTWARE_PATCH_TYPE) return { ok: true, value: { kind: 'other' } };
  const machineId = machineIdOfChild(id);
  const properties = asRecord(row['properties']);
  if (!machineId) return { ok: false, reason: `a ${type} row whose id names no Arc machine: ${id.slice(0, 300)}` };
  if (!properties) return { ok: false, reason: `a row without properties: ${id.slice(0, 300)}` };
  if (type === SOFTWARE_PATCH_TYPE) {
    const patchName = asString(properties['patchName']);
    if (!patchName) return { ok: false, reason: `a software patch row without patchName: ${id.slice(0, 300)}` };
    const classifications = Array.isArray(properties['classifications']) ? properties['classifications'].filter((c): c is string => typeof c === 'string') : [];
    const kbId = asString(properties['kbId']);
    const publishedDateTime = asString(properties['publishedDateTime']);
    return { ok: true, value: { kind: 'patch', machineId, patch: { patchName, classifications, ...(kbId ? { kbId } : {}), ...(publishedDateTime ? { publishedDateTime } : {}) } } };
  }
  const error = asRecord(properties['errorDetails']);
  const errorCode = asString(error?.['code']);
  const errorMessage = asString(error?.['message']);
  const status = asString(properties['status']);
  const lastModifiedDateTime = asString(properties['lastModifiedDateTime']);
  // The schema does not require the counts, and a failed or unfinished assessment may have none. A finished one
  // (Succeeded, CompletedWithWarnings) without them is unusable: "nothing pending" could not be told from "not reported".
  const counts = asRecord(properties['availablePatchCountByClassification']);
  if (!counts && !(errorCode !== undefined || errorMessage !== undefined || UNFINISHED_STATUSES.has(status?.toLowerCase() ?? ''))) {
    return { ok: false, reason: `an assessment row${status ? ` with status ${status.slice(0, 40)}` : ' without status'} and without availablePatchCountByClassification: ${id.slice(0, 300)}` };
  }
  const availableByClassification: Record<string, number> = {};
  for (const [name, value] of Object.entries(counts ?? {})) {
    const count = asNumber(value);
    if (count === undefined || count < 0 || !Number.isInteger(count)) return { ok: false, reason: `an assessment row whose ${name} count is not a number: ${id.slice(0, 300)}` };
    availableByClassification[name.toLowerCase()] = count;
  }
  return {
    ok: true,
    value: {
      kind: 'assessment', machineId,
      assessment: {
        availableByClassification, countsReported: counts !== undefined,
        ...(status ? { status } : {}),
        ...(lastModifiedDateTime ? { lastModifiedDateTime } : {}),
        ...(errorCode ? { errorCode } : {}),
        ...(errorMessage ? { errorMessage } : {}),
      },
    },
  };
}

/** An ESU guest configuration assignment with the Arc machine it belongs to (lower-cased id). */
export interface EsuGuestAssignmentRow {
  readonly machineId: string;
  readonly assignment: EsuGuestAssignment;
}

/**
 * One guest configuration assignment (a Resource Graph `guestconfigurationresources` row: `id`, `name`,
 * `properties`); only the ESU one of an Arc machine is kept (`guestConfiguration.name`, or the assignment name
 * before a policy's `$pid…` suffix, equals `configurationName`).
 */
export function parseEsuGuestAssignment(raw: unknown, configurationName: string): RowResult<EsuGuestAssignmentRow | undefined> {
  const item = asRecord(raw);
  const id = asString(item?.['id']);
  if (!item || !id) return { ok: false, reason: 'an assignment without id' };
  const machineId = machineIdOfChild(id);
  if (!machineId) return { ok: true, value: undefined }; // an Azure VM's or another resource's assignment
  const properties = asRecord(item['properties']) ?? {};
  const configuration = asString(asRecord(properties['guestConfiguration'])?.['name']) ?? asString(item['name'])?.split('$')[0];
  if (configuration?.toLowerCase() !== configurationName.toLowerCase()) return { ok: true, value: undefined };
  const complianceStatus = asString(properties['complianceStatus']);
  const lastComplianceStatusChecked = asString(properties['lastComplianceStatusChecked']);
  const reasons: string[] = [];
  const resources = asRecord(properties['latestAssignmentReport'])?.['resources'];
  for (const resource of Array.isArray(resources) ? resources : []) {
    const list = asRecord(resource)?.['reasons'];
    for (const reason of Array.isArray(list) ? list : []) {
      const phrase = asString(asRecord(reason)?.['phrase']);
      if (phrase) reasons.push(phrase.slice(0, 500));
    }
  }
  return {
    ok: true,
    value: { machineId, assignment: { id, reasons, ...(complianceStatus ? { complianceStatus } : {}), ...(lastComplianceStatusChecked ? { lastComplianceStatusChecked } : {}) } },
  };
}

/** Pending security + critical updates of an assessment. */
export function pendingEsuCount(assessment: PatchAssessment): number {
  return ESU_CLASSIFICATIONS.reduce((sum, name) => sum + (assessment.availableByClassification[name] ?? 0), 0);
}

export function isEsuClassified(patch: PendingPatch): boolean {
  return patch.classifications.some((c) => ESU_CLASSIFIED.test(c));
}

type EvidenceEntry = { esuAssignment?: EsuGuestAssignment; assessment?: PatchAssessment; pendingPatches: PendingPatch[] };

/**
 * What one subscription's patch evidence holds: per Arc machine (keyed by `resourceIdDigest`), and whether each
 * source could be read.
 */
export class PatchEvidenceIndex {
  private readonly byMachine = new Map<string, EvidenceEntry>();
  /** The machine last asked for: its rules ask one after another. */
  private last: { machineId: string; key: string; entry: EvidenceEntry | undefined } | undefined;

  constructor(
    /** The guest configuration assignments were read from Resource Graph (false: the read failed, and its Error finding says so). */
    readonly guestConfigurationRead: boolean,
    /** The Resource Graph assessments were read for this subscription. */
    readonly updateManagerRead: boolean,
    /**
     * The subscription's assignments of the ESU patch policy (wherever they apply); undefined when the policy
     * assignments could not be read. An assigned policy whose result is missing is not "assign the policy".
     */
    readonly esuPolicyAssignments?: readonly PolicyAssignment[],
  ) {}

  private entry(machineId: string): EvidenceEntry {
    const key = resourceIdDigest(machineId);
    let entry = this.byMachine.get(key);
    if (!entry) this.byMachine.set(key, (entry = { pendingPatches: [] }));
    this.last = undefined;
    return entry;
  }

  addAssignment(machineId: string, assignment: EsuGuestAssignment): void {
    this.entry(machineId).esuAssignment = assignment;
  }

  addRow(row: AssessmentRow): void {
    if (row.kind === 'assessment') this.entry(row.machineId).assessment = row.assessment;
    else if (row.kind === 'patch' && isEsuClassified(row.patch)) this.entry(row.machineId).pendingPatches.push(row.patch);
  }

  of(machineId: string): MachinePatchEvidence | undefined {
    return this.lookUp(machineId).entry;
  }

  /** Forgets a machine's evidence once its rules have read it: a subscription's evidence is not held to the end of its scan. */
  release(machineId: string): void {
    this.byMachine.delete(this.lookUp(machineId).key);
    this.last = undefined;
  }

  private lookUp(machineId: string): { key: string; entry: EvidenceEntry | undefined } {
    if (this.last?.machineId !== machineId) {
      const key = resourceIdDigest(machineId);
      this.last = { machineId, key, entry: this.byMachine.get(key) };
    }
    return this.last;
  }
}
