import type { CheckResult, Evidence, Finding, RuleGroup, Severity } from '../../domain/findings.js';

/** The row shape of a finding: flat columns people filter on, evidence as JSON text. */
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
}

export function findingToEntity(finding: Finding, partitionKey: string, rowKey: string): FindingEntity {
  return {
    partitionKey,
    rowKey,
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
    evidence: JSON.stringify(finding.evidence),
    remediation: finding.remediation,
    evaluatedAt: finding.evaluatedAt,
  };
}

export function entityToFinding(entity: Partial<FindingEntity>): Finding {
  let evidence: Evidence = {};
  try {
    evidence = JSON.parse(entity.evidence ?? '{}') as Evidence;
  } catch {
    evidence = { unreadable: entity.evidence ?? '' };
  }
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
    evidence,
    remediation: entity.remediation ?? '',
    evaluatedAt: entity.evaluatedAt ?? '',
  };
}
