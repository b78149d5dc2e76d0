import { hash } from 'node:crypto';
import { SEVERITIES, type CheckResult, type JobType, type Severity } from '../domain/findings.js';
import { MESSAGE_SCHEMA_VERSION, type RemediationMessage, type Transition } from './message.js';

/**
 * How many messages of one group (scan, subscription, rule, job type, transition) go one by one: a first
 * scan of 100,000 machines would otherwise send one message per finding (about 250,000, 0.8 GB), more
 * than a subscriber can act on or the topic can hold. Beyond this, the group goes as one digest.
 */
export const INDIVIDUAL_MESSAGES_PER_GROUP = 20;
/** Resource groups and machines a digest names; the rest it counts (the table lists them all). */
const DIGEST_RESOURCE_GROUPS = 20;
const DIGEST_SAMPLE = 10;

/** What the outbox keeps beside each message, enough to group and count it without reading its body. */
export interface MessageHeader {
  readonly messageId: string;
  readonly scanId: string;
  readonly subscriptionId: string;
  readonly ruleId: string;
  readonly jobType: JobType;
  readonly transition: Transition;
  readonly severity: Severity;
  readonly result?: CheckResult;
  readonly resourceId: string;
}

/**
 * One message standing for many of the same kind (schema `schemas/remediation-digest.v1.schema.json`):
 * how many, where, one full example, and the command that lists every one of them from the findings table.
 */
export interface DigestMessage {
  readonly schemaVersion: typeof MESSAGE_SCHEMA_VERSION;
  readonly messageId: string;
  readonly transition: 'digest';
  /** The transition every message of the digest had. */
  readonly digestOf: Transition;
  readonly scanId: string;
  readonly occurredAt: string;
  readonly jobType: JobType;
  readonly ruleId: string;
  readonly ruleTitle: string;
  readonly severity: Severity;
  readonly subscriptionId: string;
  readonly count: number;
  readonly results: Partial<Record<CheckResult, number>>;
  /** The resource groups with most of them (at most 20), and how many each holds. */
  readonly resourceGroups: readonly { readonly name: string; readonly count: number }[];
  /** A few of the resources (their names), in name order. */
  readonly sampleResources: readonly string[];
  /** The `esu-scan` command that lists them all from the findings table. */
  readonly listCommand: string;
  /** One of the messages in full: the job and its commands for one machine, the others differ in names. */
  readonly example: RemediationMessage;
}

/** Anything the topic carries. */
export type TopicMessage = RemediationMessage | DigestMessage;

export function headerOf(message: RemediationMessage): MessageHeader {
  return {
    messageId: message.messageId,
    scanId: message.scanId,
    subscriptionId: message.finding.subscriptionId,
    ruleId: message.finding.ruleId,
    jobType: message.jobType,
    transition: message.transition,
    severity: message.finding.severity,
    result: message.finding.result,
    resourceId: message.finding.resourceId,
  };
}

/** Messages are digested per scan, subscription, rule, job type and transition. */
export function groupKeyOf(header: Pick<MessageHeader, 'scanId' | 'subscriptionId' | 'ruleId' | 'jobType' | 'transition'>): string {
  return [header.scanId, header.subscriptionId.toLowerCase(), header.ruleId, header.jobType, header.transition].join('|');
}

/**
 * The digest of a group: its id comes from its members' ids, so a relay that dies after publishing and
 * before removing them publishes the same id again, and the topic's duplicate detection drops it.
 */
export function digestOf(members: readonly MessageHeader[], example: RemediationMessage, occurredAt: string): DigestMessage {
  const first = members[0];
  if (!first) throw new Error('a digest needs at least one message');
  const ids = members.map((member) => member.messageId).sort();
  const results: Partial<Record<CheckResult, number>> = {};
  const groups = new Map<string, number>();
  const names: string[] = [];
  let severity: Severity = first.severity;
  for (const member of members) {
    if (member.result) results[member.result] = (results[member.result] ?? 0) + 1;
    const { resourceGroup, name } = partsOf(member.resourceId);
    groups.set(resourceGroup, (groups.get(resourceGroup) ?? 0) + 1);
    names.push(name);
    // SEVERITIES runs from High down: the digest carries the highest of its members.
    if (SEVERITIES.indexOf(member.severity) < SEVERITIES.indexOf(severity)) severity = member.severity;
  }
  return {
    schemaVersion: MESSAGE_SCHEMA_VERSION,
    messageId: hash('sha256', `digest|${groupKeyOf(first)}|${ids.join(',')}`, 'buffer').toString('hex', 0, 16),
    transition: 'digest',
    digestOf: first.transition,
    scanId: first.scanId,
    occurredAt,
    jobType: first.jobType,
    ruleId: first.ruleId,
    ruleTitle: example.finding.ruleTitle,
    severity,
    subscriptionId: first.subscriptionId,
    count: members.length,
    results,
    resourceGroups: [...groups].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, DIGEST_RESOURCE_GROUPS).map(([name, count]) => ({ name, count })),
    sampleResources: names.sort().slice(0, DIGEST_SAMPLE),
    listCommand: `esu-scan findings --subscription ${first.subscriptionId} --rule ${first.ruleId}`,
    example,
  };
}

function partsOf(resourceId: string): { resourceGroup: string; name: string } {
  const segments = resourceId.split('/');
  const at = segments.findIndex((segment) => segment.toLowerCase() === 'resourcegroups');
  return { resourceGroup: at >= 0 ? (segments[at + 1] ?? '') : '', name: segments.at(-1) ?? resourceId };
}

/** Application properties, for SQL filters on topic subscriptions: the same names a single message has. */
export function digestPropertiesOf(digest: DigestMessage): Record<string, string> {
  return {
    schemaVersion: digest.schemaVersion,
    jobType: digest.jobType,
    ruleId: digest.ruleId,
    severity: digest.severity,
    transition: digest.transition,
    digestOf: digest.digestOf,
    subscriptionId: digest.subscriptionId,
  };
}
