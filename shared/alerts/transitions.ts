import { hash } from 'node:crypto';
import { compareFingerprints, fingerprintOf } from './fingerprint.js';
import type { CheckResult, Finding, JobType, RemediationJob } from '../domain/findings.js';
import type { EveryField } from '../domain/everyField.js';
import type { Suppression } from '../domain/suppression.js';
import { MESSAGE_SCHEMA_VERSION, type RemediationMessage, type Transition } from './message.js';

/** Alert bookkeeping stored on each finding row, so the next scan can tell what changed. */
export interface AlertFields {
  /**
   * `open`: a message was sent and the finding is not resolved; `suppressed`: exempted; `resolved`: a passing
   * finding whose alert was resolved (a small row kept so that a re-opening is a new decision); `none` otherwise.
   */
  readonly alertState: 'open' | 'suppressed' | 'resolved' | 'none';
  /**
   * The decision (`fingerprintOf`): result, message id, evidence without elapsed time, and the deadline stage.
   * A change of the stage alone is an `escalated` transition, of anything else a `changed` one.
   */
  readonly fingerprint: string;
  readonly alertOpenedAt?: string;
  readonly alertOpenedScanId?: string;
  readonly alertLastNotifiedAt?: string;
  readonly alertJobType?: JobType;
  readonly suppressionId?: string;
}

/** A stored finding as the next scan reads it back (evidence is not needed to decide). */
export type StoredFinding = Omit<Finding, 'evidence'> & AlertFields;
/** What deciding a transition needs of the stored row: its result and alert bookkeeping. */
export type PreviousState = Pick<StoredFinding, 'result'> & AlertFields;
export type FindingRow = Finding & AlertFields;

export interface AlertPolicy {
  /** A finding still open this many days after its last message gets a reminder. */
  readonly reminderDays: number;
  /** Days before an end of support at which an open alert escalates (default 30, 14, 7, 1 and 0). */
  readonly deadlineEscalationDays?: readonly number[];
}

export interface Decision {
  readonly row: FindingRow;
  readonly message?: RemediationMessage;
}

export { fingerprintOf } from './fingerprint.js';

/**
 * The identity of a decision, not of the run that made it: the finding, the transition, the stored state it
 * moves from and the fingerprint it moves to. Every run that reads the same stored row and sees the same
 * result (a retry, a rerun after a crash, an overlapping run) decides the same id, so the outbox's key and
 * the topic's duplicate detection keep one copy.
 */
export function messageIdFor(finding: Pick<Finding, 'ruleId' | 'resourceId'>, transition: Transition, from: PreviousState | undefined, to: string): string {
  return hash('sha256', `${finding.ruleId}|${finding.resourceId.toLowerCase()}|${transition}|${stateOf(from)}|${to}`, 'buffer').toString('hex', 0, 16);
}

/** A stored row's alert state: its last message time tells apart each opening, change, reminder and resolution. */
function stateOf(stored: PreviousState | undefined): string {
  if (!stored) return 'none';
  return `${stored.alertState}:${stored.fingerprint}:${stored.alertOpenedAt ?? ''}:${stored.alertLastNotifiedAt ?? ''}`;
}

const DAY_MS = 86_400_000;

/**
 * Compares a finding with what the last scan stored. Findings that carry a job (Failed with a fix, or a
 * warning a rule opts in) open alerts; a suppressed finding never sends; a finding that stays the same
 * sends nothing until a reminder is due.
 */
export function decide(
  previous: PreviousState | undefined,
  finding: Finding,
  job: RemediationJob | undefined,
  suppression: Suppression | undefined,
  now: Date,
  policy: AlertPolicy,
): Decision {
  const fingerprint = fingerprintOf(finding, policy.deadlineEscalationDays);
  const nowText = now.toISOString();
  if (suppression) {
    return { row: rowOf(finding, { alertState: 'suppressed', fingerprint, suppressionId: suppression.id }) };
  }
  if (!job && finding.result === 'Error' && previous?.alertState === 'open') {
    // "Could not check" is not "fixed": the alert stays open, silently, until a real result comes.
    return { row: rowOf(finding, { ...alertFieldsOf(previous), alertState: 'open' }) };
  }
  if (!job) {
    if (previous?.alertState !== 'open' || !previous.alertJobType) return { row: rowOf(finding, { alertState: 'none', fingerprint }) };
    // The resolution's time stays on the row (a passing one is kept as `resolved`): a later re-opening moves from it.
    const row = rowOf(finding, { alertState: finding.result === 'Passed' ? 'resolved' : 'none', fingerprint, alertOpenedAt: previous.alertOpenedAt, alertLastNotifiedAt: nowText, alertJobType: previous.alertJobType });
    return { row, message: resolvedMessage(previous, previous.alertJobType, finding, nowText) };
  }
  const wasOpen = previous?.alertState === 'open';
  if (!wasOpen) {
    const row = rowOf(finding, { alertState: 'open', fingerprint, alertOpenedAt: nowText, alertOpenedScanId: finding.scanId, alertLastNotifiedAt: nowText, alertJobType: job.jobType });
    return { row, message: openMessage('opened', previous, row, job, nowText) };
  }
  const carried: AlertFields = {
    alertState: 'open',
    fingerprint,
    alertOpenedAt: previous.alertOpenedAt ?? nowText,
    alertOpenedScanId: previous.alertOpenedScanId ?? finding.scanId,
    alertLastNotifiedAt: previous.alertLastNotifiedAt ?? nowText,
    alertJobType: job.jobType,
  };
  const comparison = compareFingerprints(previous.fingerprint, fingerprint);
  if (comparison === 'changed' || comparison === 'escalated' || (comparison === 'older' && previous.result !== finding.result)) {
    const row = rowOf(finding, { ...carried, alertLastNotifiedAt: nowText });
    return { row, message: openMessage(comparison === 'escalated' ? 'escalated' : 'changed', previous, row, job, nowText) };
  }
  // `older`, same result: a fingerprint of the scheme before elapsed time was left out is taken over silently
  // (the row is rewritten with the new one), so upgrading sends nothing; a changed result still does.
  const lastNotified = Date.parse(carried.alertLastNotifiedAt ?? '');
  if (Number.isFinite(lastNotified) && now.getTime() - lastNotified >= policy.reminderDays * DAY_MS) {
    const row = rowOf(finding, { ...carried, alertLastNotifiedAt: nowText });
    return { row, message: openMessage('reminder', previous, row, job, nowText) };
  }
  return { row: rowOf(finding, carried) };
}

/** A finding with its alert bookkeeping: the stored shape, then its evidence (one plain property add). */
function rowOf(finding: Finding, alert: AlertFields): FindingRow {
  return Object.assign(storedFindingOf(finding, alert), { evidence: finding.evidence });
}

/** A finding (evidence left out) with its alert bookkeeping, field by field: it runs per stored or decided row (see domain/everyField.ts). */
export function storedFindingOf(finding: Omit<Finding, 'evidence'>, alert: AlertFields): StoredFinding {
  const stored: EveryField<StoredFinding> = {
    scanId: finding.scanId,
    ruleId: finding.ruleId,
    ruleGroup: finding.ruleGroup,
    ruleTitle: finding.ruleTitle,
    result: finding.result,
    severity: finding.severity,
    subscriptionId: finding.subscriptionId,
    resourceId: finding.resourceId,
    resourceType: finding.resourceType,
    resourceName: finding.resourceName,
    resourceGroup: finding.resourceGroup,
    message: finding.message,
    messageId: finding.messageId,
    remediation: finding.remediation,
    evaluatedAt: finding.evaluatedAt,
    alertState: alert.alertState,
    fingerprint: alert.fingerprint,
    alertOpenedAt: alert.alertOpenedAt,
    alertOpenedScanId: alert.alertOpenedScanId,
    alertLastNotifiedAt: alert.alertLastNotifiedAt,
    alertJobType: alert.alertJobType,
    suppressionId: alert.suppressionId,
  };
  return stored;
}

function alertFieldsOf(stored: PreviousState): AlertFields {
  return {
    alertState: stored.alertState,
    fingerprint: stored.fingerprint,
    alertOpenedAt: stored.alertOpenedAt,
    alertOpenedScanId: stored.alertOpenedScanId,
    alertLastNotifiedAt: stored.alertLastNotifiedAt,
    alertJobType: stored.alertJobType,
    suppressionId: stored.suppressionId,
  };
}

/** A row whose resource or finding no longer exists: resolves its open alert. */
export function decideGone(previous: StoredFinding, scanId: string, now: Date): RemediationMessage | undefined {
  if (previous.alertState !== 'open' || !previous.alertJobType) return undefined;
  const gone: Finding = {
    ...previous,
    scanId,
    result: 'Passed',
    message: `${previous.resourceName} no longer reports ${previous.ruleId}: the resource is gone or the rule no longer applies to it.`,
    evidence: {},
  };
  return resolvedMessage(previous, previous.alertJobType, gone, now.toISOString());
}

function openMessage(transition: Transition, previous: PreviousState | undefined, row: FindingRow, job: RemediationJob, occurredAt: string): RemediationMessage {
  // A kept resolution is no result to compare with: the finding was gone from the table before.
  const previousResult = previous?.alertState === 'resolved' ? undefined : previous?.result;
  return {
    schemaVersion: MESSAGE_SCHEMA_VERSION,
    messageId: messageIdFor(row, transition, previous, row.fingerprint),
    transition,
    scanId: row.scanId,
    occurredAt,
    jobType: job.jobType,
    finding: findingPart(row, row.alertOpenedAt ?? occurredAt, previousResult),
    job: { jobId: job.jobId, title: job.title, commands: job.commands, checkedWith: job.checkedWith, ...(job.blockedBy ? { blockedBy: job.blockedBy } : {}) },
  };
}

function resolvedMessage(previous: PreviousState, jobType: JobType, finding: Finding, occurredAt: string): RemediationMessage {
  return {
    schemaVersion: MESSAGE_SCHEMA_VERSION,
    // One resolution per alert state, whichever scan notices it and whether it passes again or is gone.
    messageId: messageIdFor(finding, 'resolved', previous, 'resolved'),
    transition: 'resolved',
    scanId: finding.scanId,
    occurredAt,
    jobType,
    finding: findingPart(finding, previous.alertOpenedAt ?? occurredAt, previous.result),
  };
}

function findingPart(finding: Finding, openedAt: string, previousResult: CheckResult | undefined): RemediationMessage['finding'] {
  const part: Mutable<RemediationMessage['finding']> = {
    ruleId: finding.ruleId,
    ruleTitle: finding.ruleTitle,
    result: finding.result,
    severity: finding.severity,
    subscriptionId: finding.subscriptionId,
    resourceGroup: finding.resourceGroup,
    resourceType: finding.resourceType,
    resourceId: finding.resourceId,
    resourceName: finding.resourceName,
    message: finding.message,
    messageId: finding.messageId,
    evidence: definedEntries(finding.evidence),
    openedAt,
  };
  if (previousResult && previousResult !== finding.result) part.previousResult = previousResult;
  return part;
}

/** Evidence as it travels: keys whose value is undefined do not exist in JSON. */
function definedEntries(evidence: Finding['evidence']): Finding['evidence'] {
  const copy: Record<string, Finding['evidence'][string]> = {};
  for (const key of Object.keys(evidence)) {
    const value = evidence[key];
    if (value !== undefined) copy[key] = value;
  }
  return copy;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
