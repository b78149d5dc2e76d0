import type { CheckResult, Evidence, Finding, JobType, RuleGroup, Severity } from '../../domain/findings.js';
import { storedFindingOf, type AlertFields, type FindingRow, type StoredFinding } from '../../alerts/transitions.js';
import { rowDigest } from './storedRows.js';
import { evidenceText, fitText } from './propertyLimits.js';

/** What decoding a row needs to know of a rule: its title, group and recommendation live in the catalogue, not in every row. */
export interface RuleDescription {
  readonly group: RuleGroup;
  readonly title: string;
  readonly recommendation: string;
}

/**
 * The port through which rows get their rules' descriptions: the table adapter sits below the rules and does not
 * load their catalogue; the composition root (`runtime/dependencies.ts`) hands it one.
 */
export type RuleDescriptions = (ruleId: string) => RuleDescription | undefined;

/**
 * The row shape of a finding: flat columns people filter on, evidence as JSON text, alert bookkeeping.
 * What the rule catalogue knows (title, group, recommendation) is not repeated in every row.
 */
export type FindingEntity = {
  partitionKey: string;
  rowKey: string;
  scanId: string;
  ruleId: string;
  result: string;
  severity: string;
  subscriptionId: string;
  resourceId: string;
  resourceType: string;
  resourceName: string;
  resourceGroup: string;
  message: string;
  messageId: string;
  evidence: string;
  evaluatedAt: string;
  alertState: string;
  fingerprint: string;
  suppressed: boolean;
  suppressionId: string;
  alertOpenedAt: string;
  alertOpenedScanId: string;
  alertLastNotifiedAt: string;
  alertJobType: string;
  /** Digest of the columns change detection compares (see `rowDigest`); empty = compare by writing again. */
  stateDigest: string;
};

/** What change detection reads back of every stored row: keys, result, alert bookkeeping and the digest of the rest. */
export const CHANGE_COLUMNS = [
  'PartitionKey', 'RowKey', 'ruleId', 'resourceId', 'subscriptionId', 'result', 'alertState', 'fingerprint', 'suppressionId',
  'alertOpenedAt', 'alertOpenedScanId', 'alertLastNotifiedAt', 'alertJobType', 'stateDigest',
];

/** Every column but evidence: a stored finding whole (an alert resolved because its resource is gone names it). */
export const STATE_COLUMNS = [
  'PartitionKey', 'RowKey', 'scanId', 'ruleId', 'result', 'severity', 'subscriptionId', 'resourceId',
  'resourceType', 'resourceName', 'resourceGroup', 'message', 'messageId', 'evaluatedAt', 'alertState',
  'fingerprint', 'suppressionId', 'alertOpenedAt', 'alertOpenedScanId', 'alertLastNotifiedAt', 'alertJobType',
];

export function rowToEntity(row: FindingRow, partitionKey: string, rowKey: string): FindingEntity {
  return {
    partitionKey,
    rowKey,
    scanId: row.scanId,
    ruleId: row.ruleId,
    result: row.result,
    severity: row.severity,
    subscriptionId: row.subscriptionId,
    // ARM text is fitted to a Table property (the message and evidence say so when cut); keys are hashed when too long.
    resourceId: fitText(row.resourceId),
    resourceType: fitText(row.resourceType),
    resourceName: fitText(row.resourceName),
    resourceGroup: fitText(row.resourceGroup),
    message: fitText(row.message),
    messageId: row.messageId,
    evidence: evidenceText(row.evidence),
    evaluatedAt: row.evaluatedAt,
    alertState: row.alertState,
    fingerprint: row.fingerprint,
    suppressed: row.alertState === 'suppressed',
    suppressionId: row.suppressionId ?? '',
    alertOpenedAt: row.alertOpenedAt ?? '',
    alertOpenedScanId: row.alertOpenedScanId ?? '',
    alertLastNotifiedAt: row.alertLastNotifiedAt ?? '',
    alertJobType: row.alertJobType ?? '',
    stateDigest: rowDigest(row),
  };
}

/** What change detection reads back (for every stored row). */
export function entityToStored(entity: Partial<FindingEntity>, rules: RuleDescriptions): StoredFinding {
  return storedFindingOf(findingBasics(entity, rules), alertFields(entity));
}

export function entityToRow(entity: Partial<FindingEntity>, rules: RuleDescriptions): FindingRow {
  let evidence: Evidence = {};
  try {
    evidence = JSON.parse(entity.evidence ?? '{}') as Evidence;
  } catch {
    evidence = { unreadable: entity.evidence ?? '' };
  }
  return { ...findingBasics(entity, rules), evidence, ...alertFields(entity) };
}

function findingBasics(entity: Partial<FindingEntity>, rules: RuleDescriptions): Omit<Finding, 'evidence'> {
  const rule = rules(entity.ruleId ?? '');
  const result = (entity.result ?? 'Error') as CheckResult;
  return {
    scanId: entity.scanId ?? '',
    ruleId: entity.ruleId ?? '',
    ruleGroup: (rule?.group ?? 'Machine') as RuleGroup,
    ruleTitle: rule?.title ?? '',
    result,
    severity: (entity.severity ?? 'Medium') as Severity,
    subscriptionId: entity.subscriptionId ?? '',
    resourceId: entity.resourceId ?? '',
    resourceType: entity.resourceType ?? '',
    resourceName: entity.resourceName ?? '',
    resourceGroup: entity.resourceGroup ?? '',
    message: entity.message ?? '',
    messageId: entity.messageId ?? '',
    remediation: result === 'Passed' ? '' : (rule?.recommendation ?? ''),
    evaluatedAt: entity.evaluatedAt ?? '',
  };
}

/** Rows written before alerting existed, or with an open state but no job type, count as not alerted. */
function alertFields(entity: Partial<FindingEntity>): AlertFields {
  const jobType = entity.alertJobType ? (entity.alertJobType as JobType) : undefined;
  const state = entity.alertState === 'open' && jobType ? 'open' : entity.alertState === 'suppressed' || entity.alertState === 'resolved' ? entity.alertState : 'none';
  return {
    alertState: state,
    fingerprint: entity.fingerprint ?? '',
    ...(entity.alertOpenedAt ? { alertOpenedAt: entity.alertOpenedAt } : {}),
    ...(entity.alertOpenedScanId ? { alertOpenedScanId: entity.alertOpenedScanId } : {}),
    ...(entity.alertLastNotifiedAt ? { alertLastNotifiedAt: entity.alertLastNotifiedAt } : {}),
    ...(jobType ? { alertJobType: jobType } : {}),
    ...(entity.suppressionId ? { suppressionId: entity.suppressionId } : {}),
  };
}
