/**
 * The message body schema (schemas/remediation-message.v1.schema.json) accepts every message the real
 * rules and decide() produce, rejects broken ones, and docs/messages.md is the generator's current output
 * with examples that validate.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ALERTS_DOC, MESSAGE_EXAMPLES_DOC, MESSAGES_DOC, SCHEMA_LINK, exampleMessages, renderMessageExamples, renderMessagesPage, withShortExamples } from '../../scripts/generateMessageExamples.js';
import { toServiceBusMessage } from '../../shared/adapters/serviceBus/messagePublisher.js';
import { applicationPropertiesOf, MESSAGE_SCHEMA_VERSION, type RemediationMessage, type Transition } from '../../shared/alerts/message.js';
import { decide, decideGone, type FindingRow, type StoredFinding } from '../../shared/alerts/transitions.js';
import { CHECK_RESULTS, SEVERITIES, type Finding, type JobType, type RemediationJob } from '../../shared/domain/findings.js';
import { subscriptionResourceId } from '../../shared/domain/resourceId.js';
import { DEFAULT_RULE_SETTINGS } from '../../shared/rules/context.js';
import { evaluateRules } from '../../shared/scan/evaluate.js';
import { SUBSCRIPTION_ID } from '../support/armFixtures.js';
import { repoRoot } from '../support/repoRoot.js';
import { machine, registered, ruleById, subscription } from '../support/ruleHarness.js';

const SCHEMA_PATH = join(repoRoot(), 'schemas', 'remediation-message.v1.schema.json');
const DOC_PATH = join(repoRoot(), MESSAGES_DOC);
const EXAMPLES_PATH = join(repoRoot(), MESSAGE_EXAMPLES_DOC);
const POLICY = { reminderDays: 7 };
const DAY_MS = 86_400_000;

/** Every JobType and Transition, checked by the compiler both ways (a missing or unknown key fails to build). */
const JOB_TYPES = {
  'register-provider': true, 'reconnect-machine': true, 'reonboard-machine': true, 'upgrade-agent': true,
  'link-license': true, 'create-license': true, 'report-cores': true, 'unlink-license': true, 'activate-license': true, 'resize-license': true,
  'fix-esu-activation': true, 'enable-patch-assessment': true, 'replace-license': true, 'deactivate-license': true, 'migrate-os': true,
  'assess-patches': true, 'install-updates': true, 'assign-esu-policy': true,
} as const satisfies Record<JobType, true>;
const TRANSITIONS = { opened: true, changed: true, escalated: true, resolved: true, reminder: true } as const satisfies Record<Transition, true>;
const APPLICATION_PROPERTIES = ['schemaVersion', 'jobType', 'ruleId', 'severity', 'result', 'transition', 'subscriptionId', 'resourceGroup'];

type Json = Record<string, unknown>;

function loadSchema(): Json {
  return JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Json;
}

function compile(): ValidateFunction {
  return new Ajv2020({ strict: true, allErrors: true }).compile(loadSchema());
}

const validate = compile();

/** The body as it travels: the outbox stores JSON.stringify(message) and Service Bus carries that JSON. */
function wire(message: RemediationMessage): Json {
  return JSON.parse(JSON.stringify(message)) as Json;
}

function assertValid(body: unknown, label: string): void {
  assert.ok(validate(body), `${label} validates: ${JSON.stringify(validate.errors, null, 2)}`);
}

function assertInvalid(body: unknown, label: string): void {
  assert.equal(validate(body), false, `${label} is rejected`);
}

// ---------------------------------------------------------------------------------------------
// Messages from the real rules

const AGENT_VERSION = 'ESU.Machine.AgentVersion';

/** One scan of the harness machine through a rule: its finding and (when it has a fix) its job. */
function scan(ruleId: string, subject: unknown, at: Date, scanId: string, resourceId: string, resourceType: string): { finding: Finding; job?: RemediationJob } {
  const target = { resourceId, resourceType, resourceName: resourceId.split('/').at(-1) ?? resourceId };
  const evaluation = evaluateRules([ruleById(ruleId)], subject, target, { now: at, settings: DEFAULT_RULE_SETTINGS }, { scanId, evaluatedAt: at.toISOString() });
  const finding = evaluation.findings.find((candidate) => candidate.result !== 'Passed') ?? evaluation.findings[0];
  assert.ok(finding, `${ruleId} produced a finding`);
  const job = evaluation.jobs.find((candidate) => candidate.resourceId === finding.resourceId && candidate.messageId === finding.messageId);
  return job ? { finding, job } : { finding };
}

function scanMachine(agentVersion: string, at: Date, scanId: string): { finding: Finding; job?: RemediationJob } {
  const subject = machine({ properties: { agentVersion } })();
  return scan(AGENT_VERSION, subject, at, scanId, subject.id, 'Microsoft.HybridCompute/machines');
}

function stored(row: FindingRow): StoredFinding {
  const { evidence: _evidence, ...rest } = row;
  return rest;
}

interface Lifecycle {
  readonly opened: RemediationMessage;
  readonly changed: RemediationMessage;
  readonly reminder: RemediationMessage;
  readonly resolved: RemediationMessage;
  readonly gone: RemediationMessage;
}

/** An agent below 1.34 opens, moves to another old version (changed), stays 8 days (reminder), is upgraded (resolved). */
function lifecycle(): Lifecycle {
  const t1 = new Date('2026-09-01T06:00:00Z');
  const s1 = scanMachine('1.20.01234.100', t1, 'scan-20261101T060000Z-00000001');
  assert.equal(s1.finding.result, 'Failed');
  assert.equal(s1.job?.jobType, 'upgrade-agent');
  const opened = decide(undefined, s1.finding, s1.job, undefined, t1, POLICY);

  const t2 = new Date('2026-09-02T06:00:00Z');
  const s2 = scanMachine('1.30.02000.200', t2, 'scan-20261102T060000Z-00000002');
  assert.notDeepEqual(s2.finding.evidence, s1.finding.evidence);
  const changed = decide(stored(opened.row), s2.finding, s2.job, undefined, t2, POLICY);

  const previous = stored(changed.row);
  assert.equal(previous.alertLastNotifiedAt, t2.toISOString());
  const t3 = new Date(t2.getTime() + 8 * DAY_MS);
  const s3 = scanMachine('1.30.02000.200', t3, 'scan-20261110T060000Z-00000003');
  const reminder = decide(previous, s3.finding, s3.job, undefined, t3, POLICY);

  const t4 = new Date(t3.getTime() + DAY_MS);
  const s4 = scanMachine('1.45.02880.1846', t4, 'scan-20261111T060000Z-00000004');
  assert.equal(s4.finding.result, 'Passed');
  const resolved = decide(stored(reminder.row), s4.finding, s4.job, undefined, t4, POLICY);

  const gone = decideGone(stored(reminder.row), 'scan-20261111T060000Z-00000005', t4);

  for (const [name, message] of Object.entries({ opened: opened.message, changed: changed.message, reminder: reminder.message, resolved: resolved.message, gone })) {
    assert.ok(message, `${name} decided a message`);
  }
  return { opened: opened.message!, changed: changed.message!, reminder: reminder.message!, resolved: resolved.message!, gone: gone! };
}

const LIFE = lifecycle();

describe('remediation message schema', () => {
  test('compiles in Ajv strict mode as draft 2020-12', () => {
    const schema = loadSchema();
    assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    assert.doesNotThrow(() => compile());
  });

  test('enums list exactly the domain values', () => {
    const schema = loadSchema() as { properties: Record<string, Json & { properties?: Record<string, Json> }>; $defs: Record<string, Json> };
    const sorted = (values: readonly string[]) => [...values].sort();
    assert.deepEqual(sorted(schema.properties['jobType']?.['enum'] as string[]), sorted(Object.keys(JOB_TYPES)));
    assert.deepEqual(sorted(schema.properties['transition']?.['enum'] as string[]), sorted(Object.keys(TRANSITIONS)));
    assert.deepEqual(sorted(schema.$defs['checkResult']?.['enum'] as string[]), sorted(CHECK_RESULTS));
    assert.deepEqual(sorted(schema.properties['finding']?.properties?.['severity']?.['enum'] as string[]), sorted(SEVERITIES));
    assert.equal(schema.properties['schemaVersion']?.['const'], MESSAGE_SCHEMA_VERSION);
  });

  test('every property is described', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const properties = (node as { properties?: Record<string, unknown> }).properties;
      for (const [name, child] of Object.entries(properties ?? {})) {
        if (path.includes('/else')) continue; // the else branch only narrows properties described above
        if (typeof (child as { description?: unknown }).description !== 'string') missing.push(`${path}/${name}`);
        walk(child, `${path}/${name}`);
      }
      for (const key of ['items', 'else']) walk((node as Record<string, unknown>)[key], `${path}/${key}`);
    };
    walk(loadSchema(), '#');
    assert.deepEqual(missing, []);
  });

  describe('accepts what the rules and decide() produce', () => {
    test('opened: agent below 1.34, with the upgrade-agent job', () => {
      assert.equal(LIFE.opened.transition, 'opened');
      assert.equal(LIFE.opened.jobType, 'upgrade-agent');
      assert.equal(LIFE.opened.finding.messageId, 'AgentVersion.Failed.BelowMinimum');
      assert.ok(LIFE.opened.job && LIFE.opened.job.commands.length > 0);
      assertValid(wire(LIFE.opened), 'opened');
    });

    test('changed: different evidence, same openedAt, no previousResult for the same result', () => {
      assert.equal(LIFE.changed.transition, 'changed');
      assert.equal(LIFE.changed.finding.openedAt, LIFE.opened.finding.openedAt);
      assert.equal(LIFE.changed.finding.previousResult, undefined);
      assert.notDeepEqual(LIFE.changed.finding.evidence, LIFE.opened.finding.evidence);
      assertValid(wire(LIFE.changed), 'changed');
    });

    test('reminder: last notified 8 days ago with reminderDays 7', () => {
      assert.equal(LIFE.reminder.transition, 'reminder');
      assert.ok(LIFE.reminder.job);
      assertValid(wire(LIFE.reminder), 'reminder');
    });

    test('resolved: the finding passes; no job, previousResult Failed', () => {
      assert.equal(LIFE.resolved.transition, 'resolved');
      assert.equal(LIFE.resolved.job, undefined);
      assert.equal(LIFE.resolved.finding.result, 'Passed');
      assert.equal(LIFE.resolved.finding.previousResult, 'Failed');
      assertValid(wire(LIFE.resolved), 'resolved');
    });

    test('resolved by decideGone: the resource is gone, evidence empty', () => {
      assert.equal(LIFE.gone.transition, 'resolved');
      assert.deepEqual(LIFE.gone.finding.evidence, {});
      assertValid(wire(LIFE.gone), 'gone');
    });

    test('opened on a warning a rule opts in (AgentSupported, result PassedWithWarning)', () => {
      const at = new Date('2026-09-22T00:00:00Z');
      const subject = machine({ properties: { agentVersion: '1.45.02880.1846' } })();
      const { finding, job } = scan('ESU.Machine.AgentSupported', subject, at, 'scan-20261122T000000Z-0000000a', subject.id, 'Microsoft.HybridCompute/machines');
      assert.equal(finding.result, 'PassedWithWarning');
      const message = decide(undefined, finding, job, undefined, at, POLICY).message;
      assert.equal(message?.transition, 'opened');
      assertValid(wire(message!), 'warning opened');
    });

    test('opened on a subscription-level finding (empty resourceGroup)', () => {
      const at = new Date('2026-09-22T00:00:00Z');
      const subject = subscription(registered(['Microsoft.HybridCompute', 'NotRegistered']))();
      const { finding, job } = scan('ESU.Subscription.ProviderRegistered', subject, at, 'scan-20261122T000000Z-0000000b', subscriptionResourceId(SUBSCRIPTION_ID), 'Microsoft.Resources/subscriptions');
      const message = decide(undefined, finding, job, undefined, at, POLICY).message;
      assert.equal(message?.jobType, 'register-provider');
      assert.equal(message.finding.resourceGroup, '');
      assertValid(wire(message), 'subscription-level opened');
    });
  });

  describe('rejects broken messages', () => {
    const broken = (base: RemediationMessage, change: (body: Json) => void): Json => {
      const body = wire(base);
      change(body);
      return body;
    };
    const finding = (body: Json): Json => body['finding'] as Json;
    const job = (body: Json): Json => body['job'] as Json;

    const cases: [string, Json][] = [
      ['opened without job', broken(LIFE.opened, (b) => delete b['job'])],
      ['changed without job', broken(LIFE.changed, (b) => delete b['job'])],
      ['reminder without job', broken(LIFE.reminder, (b) => delete b['job'])],
      ['resolved with a job', broken(LIFE.resolved, (b) => (b['job'] = wire(LIFE.opened)['job']))],
      ['unknown transition', broken(LIFE.opened, (b) => (b['transition'] = 'reopened'))],
      ['unknown jobType', broken(LIFE.opened, (b) => (b['jobType'] = 'reboot-machine'))],
      ['extra top-level property', broken(LIFE.opened, (b) => (b['priority'] = 1))],
      ['wrong schemaVersion', broken(LIFE.opened, (b) => (b['schemaVersion'] = '2'))],
      ['numeric schemaVersion', broken(LIFE.opened, (b) => (b['schemaVersion'] = 1))],
      ['missing finding', broken(LIFE.opened, (b) => delete b['finding'])],
      ['extra finding property', broken(LIFE.opened, (b) => (finding(b)['owner'] = 'ops'))],
      ['unknown result', broken(LIFE.opened, (b) => (finding(b)['result'] = 'Broken'))],
      ['unknown previousResult', broken(LIFE.resolved, (b) => (finding(b)['previousResult'] = 'failed'))],
      ['unknown severity', broken(LIFE.opened, (b) => (finding(b)['severity'] = 'Critical'))],
      ['opened on a Passed finding', broken(LIFE.opened, (b) => (finding(b)['result'] = 'Passed'))],
      ['evidence with an object value', broken(LIFE.opened, (b) => (finding(b)['evidence'] = { nested: { a: 1 } }))],
      ['evidence with a list of booleans', broken(LIFE.opened, (b) => (finding(b)['evidence'] = { flags: [true] }))],
      ['occurredAt not a date-time', broken(LIFE.opened, (b) => (b['occurredAt'] = '2 November 2026'))],
      ['openedAt without time', broken(LIFE.opened, (b) => (finding(b)['openedAt'] = '2026-09-02'))],
      ['messageId not 32 hex digits', broken(LIFE.opened, (b) => (b['messageId'] = 'not-an-id'))],
      ['job without commands', broken(LIFE.opened, (b) => (job(b)['commands'] = []))],
      ['command in an unknown shell', broken(LIFE.opened, (b) => (job(b)['commands'] = [{ shell: 'cmd', command: 'dir' }]))],
      ['extra job property', broken(LIFE.opened, (b) => (job(b)['jobType'] = 'upgrade-agent'))],
    ];
    for (const [name, body] of cases) {
      test(name, () => assertInvalid(body, name));
    }
  });

  test('application properties are exactly the eight filter properties, with the body\'s values', () => {
    for (const message of [LIFE.opened, LIFE.changed, LIFE.reminder, LIFE.resolved, LIFE.gone]) {
      const properties = applicationPropertiesOf(message);
      assert.deepEqual(Object.keys(properties).sort(), [...APPLICATION_PROPERTIES].sort());
      assert.deepEqual(properties, {
        schemaVersion: message.schemaVersion,
        jobType: message.jobType,
        ruleId: message.finding.ruleId,
        severity: message.finding.severity,
        result: message.finding.result,
        transition: message.transition,
        subscriptionId: message.finding.subscriptionId,
        resourceGroup: message.finding.resourceGroup,
      });
      for (const value of Object.values(properties)) assert.equal(typeof value, 'string');
      const busMessage = toServiceBusMessage(message);
      assert.equal(busMessage.messageId, message.messageId);
      assert.equal(busMessage.subject, message.scanId);
      assert.equal(busMessage.correlationId, message.scanId);
      assert.equal(busMessage.contentType, 'application/json');
      assert.deepEqual(busMessage.applicationProperties, properties);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// docs/messages.md and its examples page

/** `### <heading>` sections (outside fences) of a markdown page, with their text. */
function subsections(text: string): { heading: string; body: string }[] {
  const result: { heading: string; body: string }[] = [];
  let inFence = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const heading = inFence ? undefined : /^#{2,3} (.+?)\s*$/.exec(line)?.[1];
    if (heading !== undefined) result.push({ heading, body: '' });
    else if (result.length > 0) result[result.length - 1]!.body += `${line}\n`;
  }
  return result;
}

function jsonBlocks(text: string): unknown[] {
  return [...text.matchAll(/^```json[ \t]*\r?\n([\s\S]*?)^```/gm)].map((match) => JSON.parse(match[1] ?? '') as unknown);
}

describe('docs/messages.md and docs/message-examples.md', () => {
  test('is the output of scripts/generateMessageExamples.ts (regenerate: node dist/scripts/generateMessageExamples.js)', () => {
    assert.ok(existsSync(DOC_PATH), `${MESSAGES_DOC} exists`);
    assert.equal(readFileSync(DOC_PATH, 'utf8'), renderMessagesPage());
    assert.equal(readFileSync(EXAMPLES_PATH, 'utf8'), renderMessageExamples());
    const alerts = readFileSync(join(repoRoot(), ALERTS_DOC), 'utf8');
    assert.equal(alerts, withShortExamples(alerts), `${ALERTS_DOC} shows the current example per transition (npm run docs)`);
    for (const transition of ['opened', 'changed', 'escalated', 'resolved', 'reminder']) assert.ok(alerts.includes(`"transition": "${transition}"`), `${ALERTS_DOC} has a ${transition} example`);
  });

  test('the generator is deterministic', () => {
    assert.equal(renderMessagesPage(), renderMessagesPage());
    assert.equal(renderMessageExamples(), renderMessageExamples());
  });

  test('links the schema', () => {
    const text = readFileSync(DOC_PATH, 'utf8');
    assert.ok(text.includes(`](${SCHEMA_LINK})`));
    assert.ok(existsSync(join(dirname(DOC_PATH), SCHEMA_LINK)), 'the schema link resolves');
  });

  test('has one example per transition, each validating, with its application properties', () => {
    const sections = subsections(readFileSync(EXAMPLES_PATH, 'utf8')).filter((section) => section.heading in TRANSITIONS);
    assert.deepEqual(sections.map((section) => section.heading).sort(), Object.keys(TRANSITIONS).sort());
    for (const { heading, body } of sections) {
      const blocks = jsonBlocks(body);
      assert.equal(blocks.length, 2, `${heading}: the Service Bus message and the body`);
      const [envelope, message] = blocks as [Json, RemediationMessage];
      assertValid(message, `${heading} example`);
      assert.equal(message.transition, heading);
      assert.deepEqual(envelope['applicationProperties'], applicationPropertiesOf(message));
      assert.equal(envelope['messageId'], message.messageId);
      assert.equal(envelope['subject'], message.scanId);
      assert.equal(envelope['correlationId'], message.scanId);
      assert.equal(envelope['contentType'], 'application/json');
    }
  });

  test('the examples are the generator\'s messages, each validating', () => {
    const examples = exampleMessages();
    assert.deepEqual(examples.map((example) => example.transition), ['opened', 'changed', 'escalated', 'reminder', 'resolved']);
    for (const example of examples) assertValid(wire(example.message), `generated ${example.transition}`);
  });
});
