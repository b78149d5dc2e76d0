import type { CheckResult, Evidence, JobBlocker, JobType, RemediationCommand, Severity } from '../domain/findings.js';

export const MESSAGE_SCHEMA_VERSION = '1';

/**
 * What happened to a finding since the last scan; nothing is sent for a finding that stayed the same.
 * `escalated`: the same open finding crossed a deadline stage (see `alerts/fingerprint.ts`).
 */
export type Transition = 'opened' | 'changed' | 'escalated' | 'resolved' | 'reminder';

/**
 * The Service Bus message body (schema `schemas/remediation-message.v1.schema.json`). One message per
 * transition of a finding that carries a fix; `messageId` is deterministic, so a re-send is a duplicate.
 */
export interface RemediationMessage {
  readonly schemaVersion: typeof MESSAGE_SCHEMA_VERSION;
  readonly messageId: string;
  readonly transition: Transition;
  readonly scanId: string;
  readonly occurredAt: string;
  readonly jobType: JobType;
  readonly finding: {
    readonly ruleId: string;
    readonly ruleTitle: string;
    readonly result: CheckResult;
    readonly previousResult?: CheckResult;
    readonly severity: Severity;
    readonly subscriptionId: string;
    readonly resourceGroup: string;
    readonly resourceType: string;
    readonly resourceId: string;
    readonly resourceName: string;
    readonly message: string;
    readonly messageId: string;
    readonly evidence: Evidence;
    /** When the alert first opened (unchanged by changes and reminders). */
    readonly openedAt: string;
  };
  /** The fix; absent when the finding is resolved. */
  readonly job?: {
    readonly jobId: string;
    readonly title: string;
    readonly commands: readonly RemediationCommand[];
    readonly blockedBy?: readonly JobBlocker[];
    /** The tool versions the commands were checked against. */
    readonly checkedWith: readonly string[];
  };
}

/** Application properties, for SQL filters on topic subscriptions. */
export function applicationPropertiesOf(message: RemediationMessage): Record<string, string> {
  return {
    schemaVersion: message.schemaVersion,
    jobType: message.jobType,
    ruleId: message.finding.ruleId,
    severity: message.finding.severity,
    result: message.finding.result,
    transition: message.transition,
    subscriptionId: message.finding.subscriptionId,
    resourceGroup: message.finding.resourceGroup,
  };
}
