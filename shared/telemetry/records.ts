/**
 * The rows the scanner sends to Log Analytics, built from what a scan already decided: pure functions, no I/O.
 * Each row's RecordId is derived from what it describes (never from the upload), so the same row built twice
 * has the same id: uploads are not repeated (see uploadPlan.ts), and a query can still keep one row per id.
 */
import { hash } from 'node:crypto';
import type { Finding } from '../domain/findings.js';
import type { PlanOverview } from '../domain/licensePlan.js';
import type { RemediationMessage } from '../alerts/message.js';
import type { TelemetryKind, TelemetryRecord } from './streams.js';

export type TelemetryRows = Readonly<Partial<Record<TelemetryKind, readonly TelemetryRecord[]>>>;

function recordId(kind: TelemetryKind, ...parts: readonly string[]): string {
  return hash('sha256', [kind, ...parts].join('|'), 'buffer').toString('hex', 0, 16);
}

/** Drops absent values, so the column stays empty instead of carrying "undefined". */
function defined(row: Record<string, string | number | boolean | object | undefined>): TelemetryRecord {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined)) as TelemetryRecord;
}

/** A catalogue date (`2027-01-12`) as the datetime the column takes: midnight UTC, as the programs define it. */
function dateTimeOf(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date;
}

type CountedFinding = Pick<Finding, 'ruleId' | 'ruleGroup' | 'severity' | 'result'>;

/** Counts findings per rule and result as they come, holding one entry per rule and result, never the findings. */
export class RuleCounter {
  private readonly counts = new Map<string, { finding: CountedFinding; count: number }>();

  add(findings: Iterable<CountedFinding>): void {
    for (const finding of findings) {
      const key = `${finding.ruleId}|${finding.result}`;
      const entry = this.counts.get(key);
      if (entry) entry.count += 1;
      else this.counts.set(key, { finding: { ruleId: finding.ruleId, ruleGroup: finding.ruleGroup, severity: finding.severity, result: finding.result }, count: 1 });
    }
  }

  /** Per scan and subscription: how many findings of each rule had each result (one row per rule and result). */
  records(scan: { scanId: string; subscriptionId: string; finishedAt: string }): TelemetryRecord[] {
    const subscriptionId = scan.subscriptionId.toLowerCase();
    return [...this.counts.values()]
      .sort((a, b) => a.finding.ruleId.localeCompare(b.finding.ruleId) || a.finding.result.localeCompare(b.finding.result))
      .map(({ finding, count }) => ({
        TimeGenerated: scan.finishedAt,
        RecordId: recordId('ruleCounts', scan.scanId, subscriptionId, finding.ruleId, finding.result),
        ScanId: scan.scanId,
        SubscriptionId: subscriptionId,
        RuleId: finding.ruleId,
        RuleGroup: finding.ruleGroup,
        Severity: finding.severity,
        Result: finding.result,
        Findings: count,
      }));
  }
}

export function ruleCountRecords(scan: { scanId: string; subscriptionId: string; finishedAt: string }, findings: Iterable<CountedFinding>): TelemetryRecord[] {
  const counter = new RuleCounter();
  counter.add(findings);
  return counter.records(scan);
}

/** One row per alert transition, with its finding: the message id already names the decision. */
export function transitionRecords(messages: Iterable<RemediationMessage>): TelemetryRecord[] {
  return [...messages].map((message) => defined({
    TimeGenerated: message.occurredAt,
    RecordId: recordId('alertTransitions', message.messageId),
    ScanId: message.scanId,
    Transition: message.transition,
    AlertMessageId: message.messageId,
    JobType: message.jobType,
    RuleId: message.finding.ruleId,
    RuleTitle: message.finding.ruleTitle,
    Result: message.finding.result,
    PreviousResult: message.finding.previousResult,
    Severity: message.finding.severity,
    SubscriptionId: message.finding.subscriptionId.toLowerCase(),
    ResourceGroup: message.finding.resourceGroup,
    ResourceType: message.finding.resourceType,
    ResourceId: message.finding.resourceId,
    ResourceName: message.finding.resourceName,
    Message: message.finding.message,
    FindingMessageId: message.finding.messageId,
    OpenedAt: message.finding.openedAt,
    Evidence: message.finding.evidence,
  }));
}

/** The license plan as three tables: its licenses, its core-months (with prices when set) and its programs. */
export function licensePlanRecords(plan: PlanOverview): Pick<Record<TelemetryKind, TelemetryRecord[]>, 'licensePlan' | 'coreMonths' | 'programs'> {
  const at = plan.asOf;
  const licensePlan = plan.licenses.map((license) => defined({
    TimeGenerated: at,
    RecordId: recordId('licensePlan', plan.scanId, license.licenseId.toLowerCase()),
    ScanId: plan.scanId,
    LicenseId: license.licenseId,
    LicenseName: license.name,
    SubscriptionId: license.subscriptionId.toLowerCase(),
    ResourceGroup: license.resourceGroup,
    ProgramId: license.programId,
    Edition: license.edition,
    CoreType: license.coreType,
    Proposed: license.proposed,
    Action: license.action,
    Processors: license.processors,
    ProcessorsAfter: license.processorsAfter,
    CoresUsed: license.coresUsed,
    CoresPlanned: license.coresPlanned,
    MachinesLinked: license.machinesLinked,
    MachinesPlanned: license.machinesPlanned,
    Note: license.note,
  }));
  const coreMonths = plan.coreMonths.map((line) => defined({
    TimeGenerated: at,
    RecordId: recordId('coreMonths', plan.scanId, line.programId, line.edition, line.coreType),
    ScanId: plan.scanId,
    ProgramId: line.programId,
    Edition: line.edition,
    CoreType: line.coreType,
    CoresNow: line.coresNow,
    CoresAfter: line.coresAfter,
    CoresBackBilled: line.coresBackBilled,
    BackBilledMonths: line.backBilledMonths,
    PricePerCoreMonth: line.price,
    Currency: line.price === undefined ? undefined : plan.money?.currency,
  }));
  const programs = plan.programs.map((program) => ({
    TimeGenerated: at,
    RecordId: recordId('programs', plan.scanId, program.programId),
    ScanId: plan.scanId,
    ProgramId: program.programId,
    ProgramName: program.programName,
    Phase: program.phase,
    EndOfSupport: dateTimeOf(program.endOfSupport),
    MachinesNeeding: program.machinesNeeding,
    MachinesOnExisting: program.machinesOnExisting,
    MachinesOnProposed: program.machinesOnProposed,
    MachinesUnplanned: program.machinesUnplanned,
    CoresBilledNow: program.coresBilledNow,
    CoresBilledAfter: program.coresBilledAfter,
  }));
  return { licensePlan, coreMonths, programs };
}

interface RunCounts {
  readonly scanId: string;
  readonly subscriptionsRequested: number;
  readonly subscriptionsRead?: number;
  readonly subscriptionsPartlyRead?: number;
  readonly subscriptionsNotRead?: number;
  readonly machines?: number;
  /** Telemetry rows of the run that could not be uploaded (Table Storage still has their data). */
  readonly recordsNotSent?: number;
  readonly detail?: string;
}

/** A `started` row names its start; a `finished` row its end (its start when the finisher knows it). */
export type RunHeartbeat = RunCounts & ({ readonly event: 'started'; readonly startedAt: string } | { readonly event: 'finished'; readonly finishedAt: string; readonly startedAt?: string });

/** The run's heartbeat: a `started` row when it fans out, a `finished` row when it ends (the dead-man switch reads these). */
export function heartbeatRecord(run: RunHeartbeat): TelemetryRecord {
  return defined({
    TimeGenerated: run.event === 'finished' ? run.finishedAt : run.startedAt,
    RecordId: recordId('heartbeat', run.scanId, run.event),
    ScanId: run.scanId,
    Event: run.event,
    StartedAt: run.startedAt,
    FinishedAt: run.event === 'finished' ? run.finishedAt : undefined,
    SubscriptionsRequested: run.subscriptionsRequested,
    SubscriptionsRead: run.subscriptionsRead,
    SubscriptionsPartlyRead: run.subscriptionsPartlyRead,
    SubscriptionsNotRead: run.subscriptionsNotRead,
    Machines: run.machines,
    RecordsNotSent: run.recordsNotSent,
    Detail: run.detail?.slice(0, 2000),
  });
}

/** Every non-passing finding of a scan (only when ESU_LOGS_FINDINGS_SNAPSHOT asks for it). */
export function findingSnapshotRecords(findings: Iterable<Finding>): TelemetryRecord[] {
  const rows: TelemetryRecord[] = [];
  for (const finding of findings) {
    if (finding.result === 'Passed') continue;
    rows.push({
      TimeGenerated: finding.evaluatedAt,
      RecordId: recordId('findings', finding.scanId, finding.resourceId.toLowerCase(), finding.ruleId),
      ScanId: finding.scanId,
      SubscriptionId: finding.subscriptionId.toLowerCase(),
      ResourceGroup: finding.resourceGroup,
      ResourceType: finding.resourceType,
      ResourceId: finding.resourceId,
      ResourceName: finding.resourceName,
      RuleId: finding.ruleId,
      RuleGroup: finding.ruleGroup,
      Severity: finding.severity,
      Result: finding.result,
      FindingMessageId: finding.messageId,
      Message: finding.message,
      EvaluatedAt: finding.evaluatedAt,
    });
  }
  return rows;
}
