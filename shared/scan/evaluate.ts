import { hash } from 'node:crypto';
import { LICENSE_WRITE_JOB_TYPES, type Finding, type JobBlocker, type JobType, type RemediationCommand, type RemediationJob } from '../domain/findings.js';
import { licenseWriteBlockersOf } from '../programs/licenseWriteBlockers.js';
import { parseResourceId } from '../domain/resourceId.js';
import type { EvaluationContext } from '../rules/context.js';
import type { FindingTarget, MessageKey, Rule, RuleOutcome } from '../rules/rule.js';
import { resultOf } from '../rules/rule.js';
import { checkedWithOf, handedOut, type BuiltCommand } from '../remediation/tools.js';

export interface Evaluation {
  readonly findings: Finding[];
  readonly jobs: RemediationJob[];
}

export interface ScanStamp {
  readonly scanId: string;
  /** The time the rules evaluated at (the run's as-of). */
  readonly evaluatedAt: string;
  /** When a job is made: the run's start, wall clock (bookkeeping); absent, `evaluatedAt`. */
  readonly createdAt?: string;
}

/**
 * Runs rules over one subject. A rule that throws yields an Error finding for that subject and rule
 * alone, so one odd payload never stops the others.
 */
export function evaluateRules<TSubject>(
  rules: readonly Rule<TSubject, EvaluationContext, MessageKey>[],
  subject: TSubject,
  subjectTarget: FindingTarget,
  context: EvaluationContext,
  stamp: ScanStamp,
  into: Evaluation = { findings: [], jobs: [] },
): Evaluation {
  // Parsed once per subject, not once per finding.
  const subjectParts = partsOf(subjectTarget);
  for (const rule of rules) {
    let raw: RuleOutcome | readonly RuleOutcome[] | undefined;
    try {
      raw = rule.evaluate(subject, context);
    } catch (error) {
      into.findings.push(evaluationErrorFinding(rule, subjectTarget, subjectParts, error, stamp));
      continue;
    }
    if (raw === undefined) continue;
    // Most rules return one outcome: no array per rule per machine.
    if (isOutcomeList(raw)) {
      for (const outcome of raw) record(rule, subject, outcome, subjectTarget, subjectParts, stamp, into, context);
    } else {
      record(rule, subject, raw, subjectTarget, subjectParts, stamp, into, context);
    }
  }
  return into;
}

function record<TSubject>(
  rule: Rule<TSubject, EvaluationContext, MessageKey>,
  subject: TSubject,
  outcome: RuleOutcome,
  subjectTarget: FindingTarget,
  subjectParts: TargetParts,
  stamp: ScanStamp,
  into: Evaluation,
  context: EvaluationContext,
): void {
  const target = outcome.target ?? subjectTarget;
  const finding = toFinding(rule, outcome, target, target === subjectTarget ? subjectParts : partsOf(target), stamp);
  into.findings.push(finding);
  if (rule.remediation && !rule.remediation.withoutJob?.(outcome) && (finding.result === 'Failed' || (finding.result === 'PassedWithWarning' && warningHasJob(rule.remediation.onWarning, outcome)))) {
    into.jobs.push(toJob(rule, subject, outcome, finding, stamp, context));
  }
}

function warningHasJob(onWarning: boolean | ((outcome: RuleOutcome) => boolean) | undefined, outcome: RuleOutcome): boolean {
  return typeof onWarning === 'function' ? onWarning(outcome) : onWarning === true;
}

function isOutcomeList(value: RuleOutcome | readonly RuleOutcome[]): value is readonly RuleOutcome[] {
  return Array.isArray(value);
}

function toFinding(rule: Rule<unknown, EvaluationContext, MessageKey>, outcome: RuleOutcome, target: FindingTarget, parts: TargetParts, stamp: ScanStamp): Finding {
  const evidence = outcome.evidence ?? {};
  const format = (rule.messages as Record<string, (e: typeof evidence) => string>)[outcome.key];
  const result = resultOf(outcome.key);
  return findingOf(rule, target, parts, stamp, {
    result,
    message: format ? format(evidence) : outcome.key,
    messageId: `${rule.messagePrefix}.${outcome.key}`,
    evidence,
    remediation: result === 'Passed' ? '' : rule.recommendation,
  });
}

function evaluationErrorFinding(rule: Rule<unknown, EvaluationContext, MessageKey>, target: FindingTarget, parts: TargetParts, error: unknown, stamp: ScanStamp): Finding {
  const detail = error instanceof Error ? error.message : String(error);
  return findingOf(rule, target, parts, stamp, {
    result: 'Error',
    message: `The check could not be evaluated on this resource's data: ${detail}`,
    messageId: `${rule.messagePrefix}.Error.Evaluation`,
    evidence: { error: detail },
    remediation: rule.recommendation,
  });
}

interface TargetParts {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
}

function partsOf(target: FindingTarget): TargetParts {
  const parsed = parseResourceId(target.resourceId);
  return { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup };
}

function findingOf(
  rule: Rule<unknown, EvaluationContext, MessageKey>,
  target: FindingTarget,
  parts: TargetParts,
  stamp: ScanStamp,
  outcome: Pick<Finding, 'result' | 'message' | 'messageId' | 'evidence' | 'remediation'>,
): Finding {
  // Built field by field, not spread: this runs for every finding of every machine.
  return {
    scanId: stamp.scanId,
    ruleId: rule.id,
    ruleGroup: rule.group,
    ruleTitle: rule.title,
    result: outcome.result,
    severity: rule.severity,
    subscriptionId: parts.subscriptionId,
    resourceId: target.resourceId,
    resourceType: target.resourceType,
    resourceName: target.resourceName,
    resourceGroup: parts.resourceGroup,
    message: outcome.message,
    messageId: outcome.messageId,
    evidence: outcome.evidence,
    remediation: outcome.remediation,
    evaluatedAt: stamp.evaluatedAt,
  };
}

/** Same rule on the same resource → same id on every scan, so re-sends are recognisable. */
export function jobIdFor(ruleId: string, resourceId: string): string {
  return hash('sha256', `${ruleId}|${resourceId.toLowerCase()}`, 'hex').slice(0, 32);
}

function toJob<TSubject>(
  rule: Rule<TSubject, EvaluationContext, MessageKey>,
  subject: TSubject,
  outcome: RuleOutcome,
  finding: Finding,
  stamp: ScanStamp,
  context: EvaluationContext,
): RemediationJob {
  const remediation = rule.remediation!;
  const jobType = typeof remediation.jobType === 'function' ? remediation.jobType(outcome) : remediation.jobType;
  const blockedBy = blockersOf(jobType, finding.resourceId, context);
  // The id (a hash) and the commands are only read when a message is sent: worked out then, once.
  let jobId: string | undefined;
  let built: readonly BuiltCommand[] | undefined;
  let commands: readonly RemediationCommand[] | undefined;
  let checkedWith: readonly string[] | undefined;
  const builtOnce = () => (built ??= remediation.commands(subject, outcome));
  return {
    get jobId() {
      return (jobId ??= jobIdFor(rule.id, finding.resourceId));
    },
    jobType,
    ruleId: rule.id,
    severity: rule.severity,
    subscriptionId: finding.subscriptionId,
    resourceGroup: finding.resourceGroup,
    resourceId: finding.resourceId,
    title: rule.recommendation,
    messageId: finding.messageId,
    message: finding.message,
    get commands() {
      return (commands ??= builtOnce().map(handedOut));
    },
    get checkedWith() {
      // The tools come from the builders that made the commands: nothing here parses a command.
      return (checkedWith ??= checkedWithOf(builtOnce()));
    },
    ...(blockedBy.length > 0 ? { blockedBy } : {}),
    scanId: stamp.scanId,
    createdAt: stamp.createdAt ?? stamp.evaluatedAt,
  };
}

/** License writes (create, resize, replace, activate, deactivate) in the scope of an enforced ESU Deny assignment. */
function blockersOf(jobType: JobType, resourceId: string, context: EvaluationContext): JobBlocker[] {
  const assignments = context.licenseWriteBlockers;
  if (!assignments || assignments.length === 0) return [];
  if (!LICENSE_WRITE_JOB_TYPES.has(jobType)) return [];
  return licenseWriteBlockersOf(assignments, resourceId).map((assignment) => ({ policyAssignmentId: assignment.id, displayName: assignment.displayName ?? assignment.name }));
}
