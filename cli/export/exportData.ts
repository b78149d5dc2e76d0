/** What the workbook and the HTML report show, built from a scan just run or from the stored results of the last one. */
import type { FindingRow } from '../../shared/alerts/transitions.js';
import type { OutboxEntry } from '../../shared/scan/messagePorts.js';
import { emptyCounts, countFindings } from '../../shared/domain/scanSummary.js';
import type { Evidence, Finding, RemediationJob } from '../../shared/domain/findings.js';
import type { PlanOverview } from '../../shared/domain/licensePlan.js';
import { daysUntilEndOfSupport, phaseOf, type ProgramCatalogue } from '../../shared/programs/program.js';
import type { ProgramSummary, ScanReport, SubscriptionRead } from '../report.js';

/** A subscription the scan did not (fully) read. */
export interface UnreadSubscription {
  readonly subscriptionId: string;
  readonly status: SubscriptionRead['status'] | 'not fully read';
  readonly reasons: readonly string[];
}

/** A finding as exported: `firstSeen` is when its alert opened (stored rows only). */
export type ExportFinding = Finding & { readonly firstSeen?: string };

/** A remediation job as exported: what to run, where. */
export type ExportJob = Pick<RemediationJob, 'jobId' | 'jobType' | 'ruleId' | 'severity' | 'subscriptionId' | 'resourceGroup' | 'resourceId' | 'title' | 'commands'>;

/** One machine, from the evidence its findings carry (the scanner stores no separate inventory). */
export interface MachineRow {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly resourceId: string;
  readonly os?: string;
  readonly programId?: string;
  readonly hostType?: string;
  readonly cores?: number;
  readonly agentVersion?: string;
  /** Advisory ids (CVE) affecting its agent, comma-separated. */
  readonly advisories?: string;
  readonly license?: string;
  readonly licenseState?: string;
  readonly connectivity?: string;
  readonly lastStatusChange?: Date;
  readonly lastPatchAssessment?: Date;
  /** Non-passing findings of this machine. */
  readonly openFindings: number;
}

export interface ExportData {
  readonly scanId: string;
  readonly startedAt: Date;
  readonly finishedAt?: Date;
  readonly evaluatedAsOf: Date;
  /** `scan`: the run just made; `stored`: the last run's stored rows (non-passing findings only). */
  readonly source: 'scan' | 'stored';
  readonly programs: readonly ProgramSummary[];
  readonly subscriptionsRequested: number;
  readonly subscriptionsScanned: number;
  /** Subscriptions not (fully) read, and why. */
  readonly reads: readonly UnreadSubscription[];
  readonly plan?: PlanOverview;
  /** Non-passing findings. */
  readonly findings: readonly ExportFinding[];
  readonly jobs: readonly ExportJob[];
  readonly machines: readonly MachineRow[];
}

const MACHINE_TYPE = 'microsoft.hybridcompute/machines';

/** From the report of a scan just run (every finding, passing ones too, so every machine evaluated is listed). */
export function fromScanReport(report: ScanReport): ExportData {
  return {
    scanId: report.scanId,
    startedAt: new Date(report.startedAt),
    finishedAt: new Date(report.finishedAt),
    evaluatedAsOf: new Date(report.summary.evaluatedAsOf),
    source: 'scan',
    programs: report.summary.programs,
    subscriptionsRequested: report.summary.subscriptionsRequested,
    subscriptionsScanned: report.summary.subscriptionsScanned,
    reads: report.summary.reads.filter((read) => read.status !== 'read'),
    ...(report.plan ? { plan: report.plan } : {}),
    findings: report.findings.filter((finding) => finding.result !== 'Passed'),
    jobs: report.jobs,
    machines: machinesOf(report.findings),
  };
}

export interface StoredResults {
  readonly run?: Record<string, unknown>;
  readonly findings: readonly FindingRow[];
  readonly plan?: PlanOverview;
  /** Messages still in the outbox: the jobs of published ones went to Service Bus and are not stored. */
  readonly outbox: readonly OutboxEntry[];
  readonly programs: ProgramCatalogue;
}

/** From the stored rows of the last scan: findings (non-passing only are stored), the plan, the run row, the outbox's jobs. */
export function fromStored(stored: StoredResults): ExportData {
  const run = stored.run ?? {};
  const text = (key: string): string | undefined => (typeof run[key] === 'string' ? run[key] : undefined);
  const evaluatedAt = stored.findings.map((finding) => finding.evaluatedAt).filter(Boolean).sort().at(-1);
  const startedAt = new Date(text('startedAt') ?? evaluatedAt ?? stored.plan?.asOf ?? Date.now());
  const evaluatedAsOf = new Date(evaluatedAt ?? stored.plan?.asOf ?? startedAt);
  const findings = stored.findings
    .filter((row) => row.result !== 'Passed')
    .map((row): ExportFinding => ({ ...row, ...(row.alertOpenedAt ? { firstSeen: row.alertOpenedAt } : {}) }))
    .sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId) || a.ruleId.localeCompare(b.ruleId) || a.resourceId.localeCompare(b.resourceId));
  const machines = machinesOf(findings);
  const jobs = new Map<string, ExportJob>();
  for (const { message } of stored.outbox) {
    if (!message.job) continue;
    const { finding } = message;
    jobs.set(message.job.jobId, { jobId: message.job.jobId, jobType: message.jobType, ruleId: finding.ruleId, severity: finding.severity, subscriptionId: finding.subscriptionId, resourceGroup: finding.resourceGroup, resourceId: finding.resourceId, title: message.job.title, commands: message.job.commands });
  }
  const finishedAt = text('finishedAt');
  return {
    scanId: text('scanId') ?? stored.plan?.scanId ?? findings[0]?.scanId ?? '',
    startedAt,
    ...(finishedAt ? { finishedAt: new Date(finishedAt) } : {}),
    evaluatedAsOf,
    source: 'stored',
    programs: programSummaries(stored.programs, evaluatedAsOf, findings, machines),
    subscriptionsRequested: Number(run['subscriptionsRequested'] ?? 0),
    subscriptionsScanned: Number(run['subscriptionsScanned'] ?? 0),
    reads: unreadSubscriptions(findings),
    ...(stored.plan ? { plan: stored.plan } : {}),
    findings,
    jobs: [...jobs.values()].sort((a, b) => a.jobId.localeCompare(b.jobId)),
    machines,
  };
}

function programSummaries(programs: ProgramCatalogue, asOf: Date, findings: readonly Finding[], machines: readonly MachineRow[]): ProgramSummary[] {
  return programs.map((program) => {
    const counts = emptyCounts();
    countFindings(findings.filter((finding) => finding.evidence['program'] === program.id), counts);
    return {
      id: program.id,
      name: program.name,
      phase: phaseOf(program, asOf),
      endOfSupport: program.endOfSupport,
      esuEnd: program.esuEnd,
      daysToEndOfSupport: daysUntilEndOfSupport(program, asOf),
      machines: machines.filter((machine) => machine.programId === program.id).length,
      counts,
    };
  });
}

/** Subscriptions whose access check failed (the stored counterpart of the report's `reads`). */
function unreadSubscriptions(findings: readonly Finding[]): UnreadSubscription[] {
  const reads = new Map<string, string[]>();
  for (const finding of findings) {
    if (finding.ruleId === 'ESU.Subscription.Access' && finding.result === 'Error') reads.set(finding.subscriptionId, [...(reads.get(finding.subscriptionId) ?? []), finding.message]);
  }
  return [...reads].map(([subscriptionId, reasons]) => ({ subscriptionId, status: 'not fully read' as const, reasons }));
}

/** One row per machine named by a finding, its columns merged from the findings' evidence. */
export function machinesOf(findings: readonly Finding[]): MachineRow[] {
  const machines = new Map<string, { first: Finding; evidence: Record<string, Evidence[string]>; open: number }>();
  for (const finding of findings) {
    if (finding.resourceType.toLowerCase() !== MACHINE_TYPE) continue;
    const key = finding.resourceId.toLowerCase();
    let machine = machines.get(key);
    if (!machine) machines.set(key, (machine = { first: finding, evidence: {}, open: 0 }));
    if (finding.result !== 'Passed') machine.open += 1;
    for (const [name, value] of Object.entries(finding.evidence)) if (value !== null && value !== undefined && machine.evidence[name] === undefined) machine.evidence[name] = value;
  }
  return [...machines.values()].map(({ first, evidence, open }) => {
    const text = (...names: string[]): string | undefined => {
      for (const name of names) {
        const value = evidence[name];
        if (typeof value === 'string' && value !== '') return value;
        if (Array.isArray(value) && value.length > 0) return value.join(', ');
      }
      return undefined;
    };
    const number = (name: string): number | undefined => (typeof evidence[name] === 'number' ? evidence[name] : undefined);
    const date = (name: string): Date | undefined => {
      const value = text(name);
      const parsed = value ? new Date(value) : undefined;
      return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
    };
    const row: Record<string, unknown> = {
      subscriptionId: first.subscriptionId,
      resourceGroup: first.resourceGroup,
      name: first.resourceName,
      resourceId: first.resourceId,
      os: text('osName', 'os'),
      programId: text('program'),
      hostType: text('hostType'),
      cores: number('cores'),
      agentVersion: text('agentVersion'),
      advisories: text('advisories'),
      license: text('linkedLicenseName', 'licenseName'),
      licenseState: text('licenseAssignmentState', 'linkedLicenseState'),
      connectivity: text('status'),
      lastStatusChange: date('lastStatusChange'),
      lastPatchAssessment: date('lastAssessment'),
      openFindings: open,
    };
    return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined)) as unknown as MachineRow;
  }).sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId) || a.resourceGroup.localeCompare(b.resourceGroup) || a.name.localeCompare(b.name));
}
