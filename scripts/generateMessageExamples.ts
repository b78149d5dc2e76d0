/**
 * Renders docs/messages.md, docs/message-examples.md (and the short examples region of docs/alerts.md): what a remediation message is,
 * how it travels on Service Bus, and one real
 * example per transition, produced by the production rules and `decide()` on a fixed clock.
 * Regenerate with: npx tsc -p . && node dist/scripts/generateMessageExamples.js
 * (test/alerts/messageSchema.test.ts fails when the committed page differs from this output).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../cli/projectPaths.js';
import { toServiceBusMessage } from '../shared/adapters/serviceBus/messagePublisher.js';
import { DEFAULT_ALERT_POLICY } from '../shared/scan/alertTracker.js';
import { applicationPropertiesOf, type RemediationMessage, type Transition } from '../shared/alerts/message.js';
import { decide, decideGone, type FindingRow, type StoredFinding } from '../shared/alerts/transitions.js';
import { RESOURCE_NAMES } from '../shared/config/resourceNames.js';
import type { Finding, RemediationJob } from '../shared/domain/findings.js';
import { parseLicense, type EsuLicense } from '../shared/domain/license.js';
import { LicenseIndex } from '../shared/domain/licenseLink.js';
import { parseMachine } from '../shared/domain/machine.js';
import { toMachineSubject } from '../shared/rules/machineSubject.js';
import { RULES } from '../shared/rules/catalog.js';
import { DEFAULT_RULE_SETTINGS } from '../shared/rules/context.js';
import { evaluateRules } from '../shared/scan/evaluate.js';
import { newScanId } from '../shared/scan/scanRequest.js';
import { LicenseLedger } from '../shared/plan/licenseLedger.js';
import { enrolmentOf, machineNeedOf } from '../shared/rules/machine/enrolment.js';
import { planLicenses } from '../shared/plan/licensePlan.js';

/** Where the pages live, relative to the repository root: the message format, and its examples. */
export const MESSAGES_DOC = join('docs', 'messages.md');
export const MESSAGE_EXAMPLES_DOC = join('docs', 'message-examples.md');
/** The schema, relative to the page. */
export const SCHEMA_LINK = '../schemas/remediation-message.v1.schema.json';

const TOPIC = RESOURCE_NAMES.remediationTopic;
const RULE_ID = 'ESU.Machine.LicensePlan';
const SUBSCRIPTION_ID = '3f2b8c4e-5d6a-4e7b-9c1d-2a3b4c5d6e7f';
const MACHINE = 'srv-fin-db01';
const MACHINE_GROUP = 'rg-finance-servers';
const LICENSE = 'esu-ws2012r2-dc-32';
const LICENSE_IMMUTABLE_ID = '7d9e2f41-3c5b-4a6d-8e1f-0b2c3d4e5f60';
const LICENSE_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-esu-licenses/providers/Microsoft.HybridCompute/licenses/${LICENSE}`;

/** The WS2016 server of the escalation example, and what differs in its ARM payload. */
const WS2016_MACHINE = 'srv-fin-app16';
const WS2016_OS = { osName: 'Windows Server 2016 Datacenter', osVersion: '10.0.14393', osSku: 'Windows Server 2016 Datacenter' };

/** A `Microsoft.HybridCompute/machines` list item as ARM returns it: a physical WS2012 R2 Datacenter server (or `os`). */
function armMachine(esuProfile: Record<string, unknown>, name = MACHINE, os: Record<string, string> = {}): Record<string, unknown> {
  return {
    id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${MACHINE_GROUP}/providers/Microsoft.HybridCompute/machines/${name}`,
    name,
    location: 'westeurope',
    type: 'Microsoft.HybridCompute/machines',
    kind: null,
    properties: {
      provisioningState: 'Succeeded',
      agentVersion: '1.58.03228.2573',
      status: 'Connected',
      lastStatusChange: '2026-09-01T22:10:00Z',
      osName: 'Windows Server 2012 R2 Datacenter',
      osVersion: '6.3.9600',
      osType: 'windows',
      osSku: 'Windows Server 2012 R2 Datacenter',
      mssqlDiscovered: 'false',
      detectedProperties: { manufacturer: 'HPE', model: 'ProLiant DL380 Gen9', coreCount: '16', logicalCoreCount: '32' },
      hardwareProfile: { numberOfCpuSockets: 2, processors: [{ name: 'Xeon', numberOfCores: 8 }, { name: 'Xeon', numberOfCores: 8 }] },
      osProfile: { windowsConfiguration: { patchSettings: { assessmentMode: 'AutomaticByPlatform' } } },
      licenseProfile: { esuProfile: { esuEligibility: 'Eligible', serverType: 'Datacenter', ...esuProfile } },
      ...os,
    },
  };
}

const ARM_LICENSE = {
  id: LICENSE_ID,
  name: LICENSE,
  type: 'Microsoft.HybridCompute/licenses',
  location: 'westeurope',
  properties: {
    licenseType: 'ESU',
    tenantId: '00000000-0000-0000-0000-000000000000',
    licenseDetails: { state: 'Activated', target: 'Windows Server 2012 R2', edition: 'Datacenter', type: 'pCore', processors: 32, immutableId: LICENSE_IMMUTABLE_ID },
  },
};

function parsed<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

/**
 * One scan of the machine through the production path: its enrolment, the tenant license plan over the licenses
 * given, and the plan's rule; returns that rule's finding and job (none once the machine is linked).
 */
function scanMachine(at: Date, random: string, esuProfile: Record<string, unknown>, licenses: readonly EsuLicense[], payload = armMachine(esuProfile)): { finding: Finding; job?: RemediationJob } | undefined {
  const machine = toMachineSubject(parsed(parseMachine(payload)), new LicenseIndex(licenses));
  const stamp = { scanId: newScanId(at, random), evaluatedAt: at.toISOString() };
  const context = { now: at, settings: DEFAULT_RULE_SETTINGS };
  const ledger = new LicenseLedger();
  for (const license of licenses) ledger.registerLicense(license);
  const enrolment = enrolmentOf(machine, context);
  if (enrolment?.kind === 'needs-license') ledger.addNeed(machineNeedOf(machine, enrolment));
  const plan = planLicenses({ licenses: ledger.entries(), needs: ledger.needs() }, DEFAULT_RULE_SETTINGS, at);
  const evaluation = { findings: [] as Finding[], jobs: [] as RemediationJob[] };
  for (const item of plan.assignments) {
    evaluateRules(RULES.planMachine, item, { resourceId: item.need.machineId, resourceType: 'Microsoft.HybridCompute/machines', resourceName: item.need.machineName }, context, stamp, evaluation);
  }
  const finding = evaluation.findings.find((candidate) => candidate.ruleId === RULE_ID);
  if (!finding) return undefined;
  const job = evaluation.jobs.find((candidate) => candidate.ruleId === RULE_ID);
  return job ? { finding, job } : { finding };
}

function planned(scan: ReturnType<typeof scanMachine>): { finding: Finding; job?: RemediationJob } {
  if (!scan) throw new Error(`${RULE_ID} produced no finding`);
  return scan;
}

/** What the next scan reads back from the findings table. */
function stored(row: FindingRow): StoredFinding {
  const { evidence: _evidence, ...rest } = row;
  return rest;
}

export interface MessageExample {
  readonly transition: Transition;
  /** What happened, in prose, above the example. */
  readonly story: string;
  readonly message: RemediationMessage;
}

/**
 * The life of one alert: a Datacenter server with no ESU license linked, scanned four times. Fixed clock
 * and scan ids, so the messages (and their ids) are the same on every run.
 */
export function exampleMessages(): MessageExample[] {
  const policy = DEFAULT_ALERT_POLICY;
  const license = parsed(parseLicense(ARM_LICENSE));
  const notLinked = { licenseAssignmentState: 'NotAssigned', esuKeyState: 'Inactive' };
  const linked = { licenseAssignmentState: 'Assigned', esuKeyState: 'Active', assignedLicenseImmutableId: LICENSE_IMMUTABLE_ID };
  const examples: MessageExample[] = [];
  const take = (transition: Transition, story: string, message: RemediationMessage | undefined): void => {
    if (message?.transition !== transition) throw new Error(`expected a ${transition} message, got ${message?.transition ?? 'none'}`);
    examples.push({ transition, story, message });
  };

  const first = new Date('2026-09-02T06:00:00Z');
  const scan1 = planned(scanMachine(first, '1a2b3c4d', notLinked, []));
  const opened = decide(undefined, scan1.finding, scan1.job, undefined, first, policy);
  take('opened', `The first scan finds \`${MACHINE}\` with no ESU license linked and no license in the tenant with room for it: ` +
    `the tenant license plan proposes a new license and puts the server on it (\`${scan1.finding.messageId}\`). The alert opens; ` +
    'the job links the server to the proposed license, which its own job (`ESU.License.Plan`, `create-license`) creates once.', opened.message);

  const second = new Date('2026-09-03T06:00:00Z');
  const scan2 = planned(scanMachine(second, '2b3c4d5e', notLinked, [license]));
  const changed = decide(stored(opened.row), scan2.finding, scan2.job, undefined, second, policy);
  take('changed', `A day later someone has created \`${LICENSE}\`, an activated Datacenter pCore license with room for the server, ` +
    'and the plan puts the server on it. The finding is still Failed, but its evidence differs (another license), so the alert changes: ' +
    'the job now links the existing license. `openedAt` stays; there is no `previousResult` because the result is the same.', changed.message);

  const ws2016 = armMachine(notLinked, WS2016_MACHINE, WS2016_OS);
  const before = new Date('2026-12-12T06:00:00Z');
  const scanBefore = planned(scanMachine(before, '5e6f7a8b', notLinked, [], ws2016));
  const openedBefore = decide(undefined, scanBefore.finding, scanBefore.job, undefined, before, policy);
  const crossing = new Date('2026-12-13T06:00:00Z');
  const scanCrossing = planned(scanMachine(crossing, '6f7a8b9c', notLinked, [], ws2016));
  const escalated = decide(stored(openedBefore.row), scanCrossing.finding, scanCrossing.job, undefined, crossing, policy);
  take('escalated', `Meanwhile \`${WS2016_MACHINE}\`, a Windows Server 2016 server with no license linked, has had an open alert since ` +
    `${before.toISOString().slice(0, 10)} (\`${scanBefore.finding.messageId}\`, ${String(scanBefore.finding.evidence['daysLeft'])} days before end of support). ` +
    'Its days left change every day, yet daily scans send nothing: elapsed time is not part of the fingerprint. ' +
    `On ${crossing.toISOString().slice(0, 10)} it is ${String(scanCrossing.finding.evidence['daysLeft'])} days before end of support, a deadline stage ` +
    `(${(policy.deadlineEscalationDays ?? []).join(', ')} days; ESU_DEADLINE_ESCALATION_DAYS), so the alert escalates once with the same job; the next stage is 14 days.`, escalated.message);

  const third = new Date(second.getTime() + (policy.reminderDays + 1) * 86_400_000);
  const scan3 = planned(scanMachine(third, '3c4d5e6f', notLinked, [license]));
  const reminder = decide(stored(changed.row), scan3.finding, scan3.job, undefined, third, policy);
  take('reminder', `${policy.reminderDays + 1} days after the last message nothing has changed. Scans in between send nothing; ` +
    `once the alert has been open ${policy.reminderDays} days (reminderDays) since its last message, a reminder repeats it with the same job.`, reminder.message);

  const fourth = new Date(third.getTime() + 86_400_000);
  if (scanMachine(fourth, '4d5e6f7a', linked, [license])) throw new Error('a linked machine has no place in the plan');
  const resolved = decideGone(stored(reminder.row), newScanId(fourth, '4d5e6f7a'), fourth);
  take('resolved', `The next day the server is linked to \`${LICENSE}\`: it needs no place in the plan any more, so its plan finding is gone and the alert resolves. ` +
    'A resolved message has no `job`; its `jobType` is that of the alert it closes, so a subscription filtered on the job type sees it, ' +
    'and `previousResult` says what it was.', resolved);
  return examples;
}

function json(value: unknown): string {
  return ['```json', JSON.stringify(value, null, 2), '```'].join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The Service Bus message as the publisher sends it, without the body. */
function envelope(message: RemediationMessage): Record<string, unknown> {
  const { body: _body, ...rest } = toServiceBusMessage(message);
  return rest;
}

const PROPERTY_MEANINGS: Readonly<Record<string, string>> = {
  schemaVersion: 'Version of the body format (`schemaVersion` in the body).',
  jobType: 'Kind of fix; on `resolved`, the job type of the alert being closed.',
  ruleId: 'Rule that produced the finding (`finding.ruleId`).',
  severity: 'The rule\'s severity (`finding.severity`).',
  result: 'The check\'s result now (`finding.result`).',
  transition: 'What happened to the finding since the last scan.',
  subscriptionId: 'Azure subscription of the resource (`finding.subscriptionId`).',
  resourceGroup: 'Resource group of the resource (`finding.resourceGroup`); empty for subscription-level findings.',
};

const PROPERTY_VALUES: Readonly<Record<string, string>> = {
  schemaVersion: '`1`',
  jobType: '`link-license`, `create-license`, `upgrade-agent`, `reconnect-machine`, `register-provider`, … (every value in the schema)',
  ruleId: '`ESU.Machine.LicensePlan`, `ESU.License.Plan`, `ESU.Machine.AgentVersion`, `ESU.Subscription.ProviderRegistered`',
  severity: '`High`, `Medium`, `Low`',
  result: '`Failed`, `PassedWithWarning` (opened, changed, escalated, reminder); also `Passed`, `Error` (resolved)',
  transition: '`opened`, `changed`, `escalated`, `reminder`, `resolved`',
  subscriptionId: `\`${SUBSCRIPTION_ID}\``,
  resourceGroup: `\`${MACHINE_GROUP}\`, empty`,
};

export function renderMessagesPage(): string {
  const examples = exampleMessages();
  const firstExample = examples[0];
  if (!firstExample) throw new Error('no examples');
  const properties = Object.keys(applicationPropertiesOf(firstExample.message));
  const subscription = 'link-license-high';
  const filter = "jobType = 'link-license' AND severity = 'High'";
  const scope = `--resource-group <rg> --namespace-name <ns> --topic-name ${TOPIC}`;
  return [
    '# Remediation messages',
    '',
    '<!-- Generated by scripts/generateMessageExamples.ts; do not edit by hand. -->',
    '',
    'A remediation message tells a subscriber that a finding which carries a fix has opened, changed, escalated, is still open, or has been resolved. ' +
      'Each scan compares every finding with the row the last scan stored: a finding that stays the same sends nothing, so a subscriber gets one ' +
      'message when work appears, one when it changes, one when a deadline stage is crossed, a reminder while it stays undone, and one when it is done. ' +
      'The passing of time alone is not a change: days left, an assessment\'s age and time disconnected stay in the message and evidence but not in the fingerprint ' +
      '(see [alerts.md](alerts.md) for every transition time can cause). Suppressed findings send nothing.',
    '',
    '| transition | sent when | carries `job` |',
    '|---|---|---|',
    '| `opened` | a finding needs a fix (Failed with a fix, or a warning a rule opts in) and no alert is open | yes |',
    '| `changed` | the alert is open and the result, the finding\'s messageId or its evidence changed (elapsed time left out) | yes |',
    `| \`escalated\` | the alert is open, nothing changed but the deadline stage: end of support is now within ${(DEFAULT_ALERT_POLICY.deadlineEscalationDays ?? []).join(', ')} days (0: the day itself), once per stage | yes |`,
    `| \`reminder\` | the alert is open, unchanged, and its last message is at least reminderDays (default ${DEFAULT_ALERT_POLICY.reminderDays}) old | yes |`,
    '| `resolved` | the alert is open and the finding no longer needs the fix, or its resource is gone | no |',
    '',
    'Messages are published to Service Bus before the finding rows that record them are written; whatever Service Bus does not take waits in an outbox table (`esujobs`) and is relayed later under the same message ids, so a Service Bus outage loses nothing.',
    '',
    '## Transport',
    '',
    `Messages go to the Service Bus topic \`${TOPIC}\`.`,
    '',
    '| Service Bus field | value |',
    '|---|---|',
    '| `messageId` | The body\'s `messageId`: deterministic (rule, resource, transition and scan), so when a scan is re-run or the outbox re-sends within the topic\'s duplicate detection window (1 hour), the topic drops the copy. A `resolved` is keyed on the scan that opened the alert: one resolution per opening, whichever scan notices it. |',
    '| `subject` | The scan id (`scan-<time>-<random>`), so every message of one run can be picked out. |',
    '| `correlationId` | The scan id, too. |',
    '| `contentType` | `application/json` |',
    '| body | The message as JSON; the schema below. |',
    '| application properties | The eight properties below, for SQL filters. |',
    '',
    '### Application properties',
    '',
    'All are strings; compare them with quoted literals.',
    '',
    '| property | meaning | example values |',
    '|---|---|---|',
    ...properties.map((name) => `| \`${name}\` | ${cell(PROPERTY_MEANINGS[name] ?? '')} | ${cell(PROPERTY_VALUES[name] ?? '')} |`),
    '',
    '### Filtering with SQL rules',
    '',
    'A topic subscription receives the messages that match any of its rules. A SQL filter is evaluated against the application properties, for example:',
    '',
    `- \`${filter}\`: license links of high severity`,
    "- `transition IN ('opened', 'reminder')`: new and overdue work, no changes or resolutions",
    `- \`subscriptionId = '${SUBSCRIPTION_ID}' AND resourceGroup = '${MACHINE_GROUP}'\`: one team's resource group`,
    "- `jobType = 'upgrade-agent' AND transition <> 'resolved'`: agent upgrades still to do",
    '',
    'A new subscription starts with a rule named `$Default` that matches every message. Rules are OR-ed, so a filter does nothing until `$Default` is deleted (or replaced, as the infrastructure does for the `critical` subscription).',
    '',
    '## Schema',
    '',
    `The body is described by the JSON Schema (draft 2020-12) [remediation-message.v1.schema.json](${SCHEMA_LINK}). ` +
      '`schemaVersion` is `1`; version 1 only ever gains optional properties, and a breaking change gets a new version and a new schema file. ' +
      '`job` is present on `opened`, `changed`, `escalated` and `reminder` and absent on `resolved`; `finding.previousResult` is present only when the result differs from what the last scan stored.',
    '',
    '## Examples',
    '',
    'One example per transition, each the Service Bus message as the publisher sends it and its body, produced by the production rules: [message-examples.md](message-examples.md).',
    '',
    '## Subscribe with a SQL filter',
    '',
    `Create a subscription on \`${TOPIC}\` that only receives high-severity license links, then delete its catch-all \`$Default\` rule:`,
    '',
    '```bash',
    `az servicebus topic subscription create ${scope} --name ${subscription}`,
    `az servicebus topic subscription rule create ${scope} --subscription-name ${subscription} --name high-link-license --filter-sql-expression "${filter}"`,
    `az servicebus topic subscription rule delete ${scope} --subscription-name ${subscription} --name '$Default'`,
    '```',
    '',
    'Then watch it (with `az login` as someone who holds Azure Service Bus Data Receiver on the namespace, and `ESU_SERVICEBUS__fullyQualifiedNamespace` set to `<ns>.servicebus.windows.net`); ' +
      'it prints one line per message and completes it. `--format json` prints the message id, application properties and body instead; `--max` and `--timeout` stop it.',
    '',
    '```bash',
    `npx esu-scan alerts tail --subscription ${subscription}`,
    '```',
    '',
  ].join('\n');
}

export function renderMessageExamples(): string {
  const examples = exampleMessages();
  return [
    '# Remediation messages: examples',
    '',
    '<!-- Generated by scripts/generateMessageExamples.ts; do not edit by hand. -->',
    '',
    'What each transition of [a remediation message](messages.md) looks like. ' +
      `One alert's life: \`${RULE_ID}\` on the physical Windows Server 2012 R2 Datacenter server \`${MACHINE}\`, scanned four times, and the escalation of another server's alert. ` +
      'Each example shows the Service Bus message as the publisher sends it (without the body), then the body.',
    '',
    ...examples.flatMap((example) => [
      `## ${example.transition}`,
      '',
      example.story,
      '',
      json(envelope(example.message)),
      '',
      json(example.message),
      '',
    ]),
    'A finding whose resource disappears (or that a rule no longer reports) resolves the same way: `result` is `Passed`, `evidence` is empty, and the message says the resource is gone.',
    '',
  ].join('\n');
}

/** The page that shows one short example per transition, between these markers. */
export const ALERTS_DOC = join('docs', 'alerts.md');
export const EXAMPLES_START = '<!-- message-examples:start (generated by scripts/generateMessageExamples.ts) -->';
export const EXAMPLES_END = '<!-- message-examples:end -->';

/** The alerts page's short version: one example per transition, the body's main fields and the application properties. */
export function renderShortExamples(): string {
  const lines = [EXAMPLES_START, ''];
  for (const { transition, story, message } of exampleMessages()) {
    const short = {
      schemaVersion: message.schemaVersion,
      messageId: message.messageId,
      transition: message.transition,
      scanId: message.scanId,
      occurredAt: message.occurredAt,
      jobType: message.jobType,
      finding: {
        ruleId: message.finding.ruleId,
        result: message.finding.result,
        ...(message.finding.previousResult ? { previousResult: message.finding.previousResult } : {}),
        severity: message.finding.severity,
        resourceName: message.finding.resourceName,
        messageId: message.finding.messageId,
        openedAt: message.finding.openedAt,
        '…': 'subscriptionId, resourceGroup, resourceType, resourceId, message, evidence',
      },
      ...(message.job ? { job: { jobId: message.job.jobId, title: message.job.title, commands: `${message.job.commands.length} command(s)` } } : {}),
    };
    lines.push(`**${transition}**: ${story}`, '', '```json', JSON.stringify(short, null, 2), '```', '');
  }
  lines.push(EXAMPLES_END);
  return lines.join('\n');
}

/** Replaces the alerts page's generated region with `renderShortExamples()`. */
export function withShortExamples(page: string): string {
  const start = page.indexOf(EXAMPLES_START);
  const end = page.indexOf(EXAMPLES_END);
  if (start < 0 || end < start) throw new Error(`${ALERTS_DOC} has no message-examples region`);
  return page.slice(0, start) + renderShortExamples() + page.slice(end + EXAMPLES_END.length);
}

export function writeMessageExamples(root: string = projectRoot()): string {
  const path = join(root, MESSAGES_DOC);
  writeFileSync(path, renderMessagesPage(), 'utf8');
  writeFileSync(join(root, MESSAGE_EXAMPLES_DOC), renderMessageExamples(), 'utf8');
  const alerts = join(root, ALERTS_DOC);
  writeFileSync(alerts, withShortExamples(readFileSync(alerts, 'utf8')), 'utf8');
  return path;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`Wrote ${writeMessageExamples()}`);
}
