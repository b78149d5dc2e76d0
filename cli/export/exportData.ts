/** What the workbook and the HTML report show, built from a scan just run or from the stored results of the last one. */
import type { Evidence, Finding, RemediationJob } from '../../shared/domain/findings.js';
import type { PlanOverview } from '../../shared/domain/licensePlan.js';
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

export const MACHINE_TYPE = 'microsoft.hybridcompute/machines';

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

/** What a machine's row is merged from: its first finding's names, the evidence of its findings, its non-passing findings. */
export interface MachineParts {
  readonly first: Pick<Finding, 'subscriptionId' | 'resourceGroup' | 'resourceName' | 'resourceId'>;
  readonly evidence: Record<string, Evidence[string]>;
  open: number;
}

/** The evidence names a machine row reads. */
const MACHINE_EVIDENCE = ['osName', 'os', 'program', 'hostType', 'cores', 'agentVersion', 'advisories', 'linkedLicenseName', 'licenseName', 'licenseAssignmentState', 'linkedLicenseState', 'status', 'lastStatusChange', 'lastAssessment'];

/** Merging a machine's findings into its parts: the first finding (in the findings' order) that carries a value wins. */
export const machineAccumulator = {
  /** The evidence of a finding a machine row may read (values set only). */
  evidenceOf(evidence: Evidence): MachineParts['evidence'] {
    const kept: MachineParts['evidence'] = {};
    for (const name of MACHINE_EVIDENCE) if (evidence[name] !== null && evidence[name] !== undefined) kept[name] = evidence[name];
    return kept;
  },
  merge(parts: MachineParts, evidence: Evidence, open: boolean): void {
    if (open) parts.open += 1;
    for (const [name, value] of Object.entries(evidence)) if (value !== null && value !== undefined && parts.evidence[name] === undefined) parts.evidence[name] = value;
  },
};

/** One row per machine named by a finding, its columns merged from the findings' evidence. */
export function machinesOf(findings: readonly Finding[]): MachineRow[] {
  const machines = new Map<string, MachineParts>();
  for (const finding of findings) {
    if (finding.resourceType.toLowerCase() !== MACHINE_TYPE) continue;
    const key = finding.resourceId.toLowerCase();
    let machine = machines.get(key);
    if (!machine) machines.set(key, (machine = { first: finding, evidence: {}, open: 0 }));
    machineAccumulator.merge(machine, finding.evidence, finding.result !== 'Passed');
  }
  return [...machines.values()].map(machineRowOf)
    .sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId) || a.resourceGroup.localeCompare(b.resourceGroup) || a.name.localeCompare(b.name));
}

/** A machine's row from its merged parts. */
export function machineRowOf({ first, evidence, open }: MachineParts): MachineRow {
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
}
