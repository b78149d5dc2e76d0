import type { CheckResult, Evidence, JobType, RuleGroup, Severity } from '../domain/findings.js';
import type { BuiltCommand } from '../remediation/tools.js';

/** `Passed`, or `Failed.BelowMinimum`: the result, then why. The finding's messageId is `<prefix>.<key>`. */
export type MessageKey = CheckResult | `${CheckResult}.${string}`;

/** Points a finding at a resource other than the subject (e.g. one provider of a subscription). */
export interface FindingTarget {
  readonly resourceId: string;
  readonly resourceType: string;
  readonly resourceName: string;
}

export interface RuleOutcome<K extends MessageKey = MessageKey> {
  readonly key: K;
  readonly evidence?: Evidence;
  readonly target?: FindingTarget;
}

export interface RuleLink {
  readonly title: string;
  readonly url: string;
}

export interface Remediation<TSubject, K extends MessageKey> {
  /** One job type per kind of fix; a function when the fix depends on the outcome. */
  readonly jobType: JobType | ((outcome: RuleOutcome<K>) => JobType);
  /** Also publish a job for PassedWithWarning (for fixes worth doing before anything fails), or for some of them. */
  readonly onWarning?: boolean | ((outcome: RuleOutcome<K>) => boolean);
  /** Outcomes whose fix is another finding's job (they point to that root finding): no job of their own. */
  readonly withoutJob?: (outcome: RuleOutcome<K>) => boolean;
  /** Exact commands, with the resource's names filled in. */
  commands(subject: TSubject, outcome: RuleOutcome<K>): readonly BuiltCommand[];
}

/** Everything about one rule in one place: identity, documentation, evaluation, messages and fix. */
export interface Rule<TSubject, TContext, K extends MessageKey = MessageKey> {
  readonly id: string;
  readonly title: string;
  readonly group: RuleGroup;
  readonly severity: Severity;
  /** Why the check matters for ESU delivery. */
  readonly description: string;
  /** One sentence on what to do; stored with every non-passing finding. */
  readonly recommendation: string;
  readonly messagePrefix: string;
  readonly links: readonly RuleLink[];
  readonly messages: { readonly [P in K]: (evidence: Evidence) => string };
  /** Pure: no I/O, no clock but `context`. Returning nothing means the rule does not apply. */
  evaluate(subject: TSubject, context: TContext): RuleOutcome<K> | readonly RuleOutcome<K>[] | undefined;
  readonly remediation?: Remediation<TSubject, K>;
}

/** Identity function that lets TypeScript check message keys against the rule's own messages. */
export function defineRule<TSubject, TContext, K extends MessageKey>(
  rule: Rule<TSubject, TContext, K>,
): Rule<TSubject, TContext, K> {
  return rule;
}

const results = new Map<string, CheckResult>();

export function resultOf(key: MessageKey): CheckResult {
  let result = results.get(key);
  if (result === undefined) {
    const dot = key.indexOf('.');
    result = (dot < 0 ? key : key.slice(0, dot)) as CheckResult;
    results.set(key, result);
  }
  return result;
}
