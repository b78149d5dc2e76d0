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
  /** False when the scan stopped before its end: `count` is what it had decided by then (the table lists them all). */
  readonly complete: boolean;
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
 * The digest of a group read back from the outbox: its id comes from its members' ids, so a relay that dies after
 * publishing and before removing them publishes the same id again, and the topic's duplicate detection drops it.
 */
export function digestOf(members: readonly { header: MessageHeader; occurredAt: string }[], example: RemediationMessage): DigestMessage {
  const accumulator = new DigestAccumulator();
  for (const member of members) accumulator.addHeader(member.header, member.occurredAt);
  accumulator.offerExample(example);
  const digest = accumulator.digest(true);
  if (!digest) throw new Error('a digest needs at least one message');
  return digest;
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

/**
 * Builds a digest as the messages come, holding only what the digest says (counts, resource groups, a sample,
 * one example): a subscription's 100,000 decisions cost a few kilobytes. Its id depends only on which messages
 * it stands for (their ids, in any order), so a scan delivered twice decides the same digest.
 */
export class DigestAccumulator {
  private count = 0;
  private readonly ids = Buffer.alloc(16);
  private readonly results: Partial<Record<CheckResult, number>> = {};
  private readonly groups = new Map<string, number>();
  private sample: string[] = [];
  private severity: Severity | undefined;
  private example: RemediationMessage | undefined;
  private latest = '';

  add(message: RemediationMessage): void {
    this.addHeader(headerOf(message), message.occurredAt);
    this.offerExample(message);
  }

  /** The first message offered is the example every reader of the digest sees in full. */
  offerExample(message: RemediationMessage): void {
    this.example ??= message;
  }

  addHeader(header: MessageHeader, occurredAt: string): void {
    this.count += 1;
    const id = Buffer.from(header.messageId, 'hex');
    for (let index = 0; index < this.ids.length; index += 1) this.ids[index] = (this.ids[index] ?? 0) ^ (id[index] ?? 0);
    if (header.result) this.results[header.result] = (this.results[header.result] ?? 0) + 1;
    const { resourceGroup, name } = partsOf(header.resourceId);
    this.groups.set(resourceGroup, (this.groups.get(resourceGroup) ?? 0) + 1);
    if (this.sample.length < DIGEST_SAMPLE || name < (this.sample.at(-1) ?? '')) this.sample = [...this.sample, name].sort().slice(0, DIGEST_SAMPLE);
    // SEVERITIES runs from High down: the digest carries the highest of its messages.
    if (!this.severity || SEVERITIES.indexOf(header.severity) < SEVERITIES.indexOf(this.severity)) this.severity = header.severity;
    if (occurredAt > this.latest) this.latest = occurredAt;
  }

  get size(): number {
    return this.count;
  }

  digest(complete: boolean): DigestMessage | undefined {
    const example = this.example;
    if (!example || !this.severity) return undefined;
    const header = headerOf(example);
    const occurredAt = this.latest || example.occurredAt;
    return {
      schemaVersion: MESSAGE_SCHEMA_VERSION,
      messageId: hash('sha256', `digest|${groupKeyOf(header)}|${this.ids.toString('hex')}|${this.count}`, 'buffer').toString('hex', 0, 16),
      transition: 'digest',
      digestOf: header.transition,
      scanId: header.scanId,
      occurredAt,
      jobType: header.jobType,
      ruleId: header.ruleId,
      ruleTitle: example.finding.ruleTitle,
      severity: this.severity,
      subscriptionId: header.subscriptionId,
      count: this.count,
      complete,
      results: { ...this.results },
      resourceGroups: [...this.groups].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, DIGEST_RESOURCE_GROUPS).map(([name, count]) => ({ name, count })),
      sampleResources: [...this.sample],
      listCommand: `esu-scan findings --subscription ${header.subscriptionId} --rule ${header.ruleId}`,
      example,
    };
  }
}
