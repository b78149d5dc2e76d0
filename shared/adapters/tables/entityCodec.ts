import type { CheckResult, Evidence, Finding, JobType, RuleGroup, Severity } from '../../domain/findings.js';
import type { AlertFields, FindingRow, StoredFinding } from '../../alerts/transitions.js';

/** The row shape of a finding: flat columns people filter on, evidence as JSON text, alert bookkeeping. */
export interface FindingEntity extends Record<string, unknown> {
  partitionKey: string;
  rowKey: string;
  scanId: string;
  ruleId: string;
  ruleGroup: string;
  ruleTitle: string;
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
  remediation: string;
  evaluatedAt: string;
  alertState: string;
  fingerprint: string;
  suppressed: boolean;
  suppressionId: string;
  alertOpenedAt: string;
  alertOpenedScanId: string;
  alertLastNotifiedAt: string;
  alertJobType: string;
}

/** Every column but evidence: what change detection reads back. */
export const STATE_COLUMNS = [
  'PartitionKey', 'RowKey', 'scanId', 'ruleId', 'ruleGroup', 'ruleTitle', 'result', 'severity', 'subscriptionId', 'resourceId',
  'resourceType', 'resourceName', 'resourceGroup', 'message', 'messageId', 'remediation', 'evaluatedAt', 'alertState',
  'fingerprint', 'suppressionId', 'alertOpenedAt', 'alertOpenedScanId', 'alertLastNotifiedAt', 'alertJobType',
];

export function rowToEntity(row: FindingRow, partitionKey: string, rowKey: string): FindingEntity {
  return {
    partitionKey,
    rowKey,
    scanId: row.scanId,
    ruleId: row.ruleId,
    ruleGroup: row.ruleGroup,
    ruleTitle: row.ruleTitle,
    result: row.result,
    severity: row.severity,
    subscriptionId: row.subscriptionId,
    resourceId: row.resourceId,
    resourceType: row.resourceType,
    resourceName: row.resourceName,
    resourceGroup: row.resourceGroup,
    message: row.message,
    messageId: row.messageId,
    evidence: JSON.stringify(row.evidence),
    remediation: row.remediation,
    evaluatedAt: row.evaluatedAt,
    alertState: row.alertState,
    fingerprint: row.fingerprint,
    suppressed: row.alertState === 'suppressed',
    suppressionId: row.suppressionId ?? '',
    alertOpenedAt: row.alertOpenedAt ?? '',
    alertOpenedScanId: row.alertOpenedScanId ?? '',
    alertLastNotifiedAt: row.alertLastNotifiedAt ?? '',
    alertJobType: row.alertJobType ?? '',
  };
}

export function entityToStored(entity: Partial<FindingEntity>): StoredFinding {
  return { ...findingBasics(entity), ...alertFields(entity) };
}

export function entityToRow(entity: Partial<FindingEntity>): FindingRow {
  let evidence: Evidence = {};
  try {
    evidence = JSON.parse(entity.evidence ?? '{}') as Evidence;
  } catch {
    evidence = { unreadable: entity.evidence ?? '' };
  }
  return { ...findingBasics(entity), evidence, ...alertFields(entity) };
}

function findingBasics(entity: Partial<FindingEntity>): Omit<Finding, 'evidence'> {
  return {
    scanId: entity.scanId ?? '',
    ruleId: entity.ruleId ?? '',
    ruleGroup: (entity.ruleGroup ?? 'Machine') as RuleGroup,
    ruleTitle: entity.ruleTitle ?? '',
    result: (entity.result ?? 'Error') as CheckResult,
    severity: (entity.severity ?? 'Medium') as Severity,
    subscriptionId: entity.subscriptionId ?? '',
    resourceId: entity.resourceId ?? '',
    resourceType: entity.resourceType ?? '',
    resourceName: entity.resourceName ?? '',
    resourceGroup: entity.resourceGroup ?? '',
    message: entity.message ?? '',
    messageId: entity.messageId ?? '',
    remediation: entity.remediation ?? '',
    evaluatedAt: entity.evaluatedAt ?? '',
  };
}

/** Rows written before alerting existed, or with an open state but no job type, count as not alerted. */
function alertFields(entity: Partial<FindingEntity>): AlertFields {
  const jobType = entity.alertJobType ? (entity.alertJobType as JobType) : undefined;
  const state = entity.alertState === 'open' && jobType ? 'open' : entity.alertState === 'suppressed' ? 'suppressed' : 'none';
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
